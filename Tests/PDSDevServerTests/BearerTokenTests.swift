import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PDSDevServer

/// The access-token check of the resource API (RFC 6750): only a live token this server
/// signed and issued passes; everything else is 401 `AccessTokenInvalid` with
/// `WWW-Authenticate: Bearer error="invalid_token"`.
@Suite struct BearerTokenTests {
    /// Checks the refusal and returns its reason, the part after `AccessToken is invalid. `.
    @discardableResult
    static func reason(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
        #expect(response.header("WWW-Authenticate") == #"Bearer error="invalid_token""#, sourceLocation: sourceLocation)
        let error = try #require(response.pdsError, sourceLocation: sourceLocation)
        #expect(error.code == "AccessTokenInvalid", sourceLocation: sourceLocation)
        #expect(error.requestId == response.header("x-ca-request-id"), sourceLocation: sourceLocation)
        let prefix = "AccessToken is invalid. "
        #expect(error.message.hasPrefix(prefix), sourceLocation: sourceLocation)
        return String(error.message.dropFirst(prefix.count))
    }

    @Test func aValidTokenPasses() async throws {
        try await Fixture().test { client in
            let token = try await client.signIn().accessToken
            #expect(try await client.resource("/v2/user/get", accessToken: token).status == .ok)
            let lowerCase = try await client.base.execute(
                uri: "/v2/user/get", method: .post,
                headers: [.contentType: "application/json", .authorization: "bearer " + token],
                body: ByteBuffer(string: "{}"))
            #expect(lowerCase.status == .ok, "the scheme is case-insensitive")
        }
    }

    @Test func missingOrOtherSchemeIsRefused() async throws {
        try await Fixture().test { client in
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: nil)).hasPrefix("missing:"))
            let empty = try await client.base.execute(
                uri: "/v2/user/get", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer "],
                body: ByteBuffer(string: "{}"))
            #expect(try Self.reason(empty).hasPrefix("missing:"))
            let basic = try await client.base.execute(
                uri: "/v2/file/list", method: .post,
                headers: [.contentType: "application/json", .authorization: "Basic d2ViLWFwcDpz"],
                body: ByteBuffer(string: "{}"))
            #expect(try Self.reason(basic).hasPrefix("malformed:"))
        }
    }

    @Test(arguments: ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"])
    func malformedTokensAreRefused(token: String) async throws {
        try await Fixture().test { client in
            let reason = try Self.reason(try await client.resource("/v2/drive/list", accessToken: token))
            #expect(reason.hasPrefix("malformed:") || reason.hasPrefix("bad signature:"), "\(reason)")
        }
    }

    @Test func foreignSignaturesAreRefused() async throws {
        try await Fixture().test { client in
            let genuine = try await client.signIn().accessToken
            let stranger = try await ForgedToken.resigned(genuine, by: TestKeys.stranger)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: stranger)).hasPrefix("bad signature:"))
            let tampered = try ForgedToken.tampered(genuine)
            #expect(tampered != genuine)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: tampered)).hasPrefix("bad signature:"))
            let unsigned = ForgedToken.unsecured(genuine)
            #expect(
                try Self.reason(try await client.resource("/v2/user/get", accessToken: unsigned))
                    == "bad signature: alg none is not accepted; access tokens are RS256")
        }
    }

    /// Expiry is judged by the server's clock: valid up to the last second, refused at `exp`.
    @Test func expiredTokensAreRefused() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let token = try await client.signIn().accessToken
            fixture.clock.advance(seconds: Double(fixture.server.configuration.accessTokenLifetime - 1))
            #expect(try await client.resource("/v2/user/get", accessToken: token).status == .ok)
            fixture.clock.advance(seconds: 1)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: token)).hasPrefix("expired:"))
        }
    }

    @Test func signingOutRevokesTheAccessToken() async throws {
        try await Fixture().test { client in
            let tokens = try await client.signIn()
            let other = try await client.signIn()
            let refreshToken = try #require(tokens.refreshToken, "refresh token")
            #expect(try await client.post("/v2/account/revoke", json: RevokeTests.body(token: refreshToken)).status == .noContent)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: tokens.accessToken)).hasPrefix("revoked:"))
            #expect(try await client.resource("/v2/user/get", accessToken: other.accessToken).status == .ok, "another sign-in is unaffected")
        }
    }

    @Test func rotatedRefreshKeepsTheGrantAndItsAccessTokens() async throws {
        try await Fixture().test { client in
            let first = try await client.signIn()
            let second = try await client.refresh(try #require(first.refreshToken, "refresh token")).decode(TokenResponseBody.self)
            #expect(try await client.resource("/v2/user/get", accessToken: first.accessToken).status == .ok)
            #expect(try await client.resource("/v2/user/get", accessToken: second.accessToken).status == .ok)
            let rotated = try #require(second.refreshToken, "rotated")
            #expect(try await client.post("/v2/account/revoke", json: RevokeTests.body(token: rotated)).status == .noContent)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: first.accessToken)).hasPrefix("revoked:"))
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: second.accessToken)).hasPrefix("revoked:"))
        }
    }

    /// RFC 6749 §4.1.2: a replayed code revokes what the code issued, access tokens included.
    @Test func aReplayedCodeRevokesTheAccessToken() async throws {
        try await Fixture().test { client in
            let code = try await client.code()
            let tokens = try await client.exchange(code).decode(TokenResponseBody.self)
            #expect(try await client.resource("/v2/user/get", accessToken: tokens.accessToken).status == .ok)
            #expect(try await client.exchange(code).status == .badRequest)
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: tokens.accessToken)).hasPrefix("revoked:"))
        }
    }

    /// Every server in this process signs with the same key, so only the server's own
    /// record tells its tokens from another instance's.
    @Test func anotherServersTokenIsRefused() async throws {
        let token = try await Fixture().test { client in try await client.signIn().accessToken }
        try await Fixture().test { (client: Client) async throws in
            #expect(try Self.reason(try await client.resource("/v2/user/get", accessToken: token)).hasPrefix("not issued by this server:"))
        }
    }

    @Test func refusalsNeverEchoTheToken() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let token = try await client.signIn().accessToken
            fixture.clock.advance(seconds: 7200)
            let response = try await client.resource("/v2/user/get", accessToken: token)
            #expect(response.status == .unauthorized)
            for part in token.split(separator: ".") {
                #expect(!response.bodyText.contains(part))
            }
        }
    }
}
