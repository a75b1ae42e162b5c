import Foundation
import Hummingbird
import Testing

@testable import PDSDevServer

/// `POST /v2/oauth/revoke`, RFC 7009 token revocation as a generic OAuth server offers it
/// (not a PDS API): form body, token-endpoint client authentication, RFC 6749 §5.2 errors.
@Suite struct TokenRevocationTests {
    /// The OAuth error body (RFC 6749 §5.2).
    struct OAuthErrorBody: Decodable, Equatable {
        var error: String
        var error_description: String
    }

    static func webClient(_ token: String, hint: String? = nil) -> [(String, String)] {
        var fields = [("token", token), ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret)]
        if let hint { fields.append(("token_type_hint", hint)) }
        return fields
    }

    @Test func revokingTheRefreshTokenKillsRefreshAndAccessTokens() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let tokens = try await client.signIn()
            let refreshToken = try #require(tokens.refreshToken, "refresh token")
            let response = try await client.revokeToken(Self.webClient(refreshToken, hint: "refresh_token"))
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("x-ca-request-id") != nil)
            #expect(try await client.refresh(refreshToken).pdsError?.message == "The refresh token has been revoked")
            let call = try await client.resource("/v2/user/get", accessToken: tokens.accessToken)
            #expect(try BearerTokenTests.reason(call).hasPrefix("revoked:"))
            #expect(await fixture.server.statistics().revocations == 1)
        }
    }

    /// RFC 7009 §2.1: revoking an access token may revoke its refresh token too; here it
    /// ends the whole grant. An unknown hint is ignored, a wrong one only changes where the
    /// server looks first.
    @Test(arguments: ["access_token", "refresh_token", "id_token", nil] as [String?])
    func revokingTheAccessTokenEndsTheGrant(hint: String?) async throws {
        try await Fixture().test { client in
            let tokens = try await client.signIn()
            #expect(try await client.revokeToken(Self.webClient(tokens.accessToken, hint: hint)).status == .ok)
            #expect(try BearerTokenTests.reason(try await client.resource("/v2/user/get", accessToken: tokens.accessToken)).hasPrefix("revoked:"))
            let refresh = try await client.refresh(try #require(tokens.refreshToken, "refresh token"))
            #expect(refresh.pdsError?.message == "The refresh token has been revoked")
        }
    }

    @Test func unknownOrDeadTokensStillAnswer200() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            #expect(try await client.revokeToken(Self.webClient("never-issued")).status == .ok)
            let tokens = try await client.signIn()
            let refreshToken = try #require(tokens.refreshToken, "refresh token")
            #expect(try await client.revokeToken(Self.webClient(refreshToken)).status == .ok)
            #expect(try await client.revokeToken(Self.webClient(refreshToken)).status == .ok, "already revoked")
            #expect(try await client.revokeToken(Self.webClient(tokens.accessToken)).status == .ok, "already revoked")
            let other = try await client.signIn()
            fixture.clock.advance(seconds: 3600)
            #expect(try await client.revokeToken(Self.webClient(other.accessToken, hint: "access_token")).status == .ok, "expired")
            let otherRefreshToken = try #require(other.refreshToken, "refresh token")
            #expect(
                try await client.refresh(otherRefreshToken).status == .ok,
                "an expired access token is already dead; its grant lives on")
            #expect(await fixture.server.statistics().revocations == 5)
        }
    }

    @Test func badClientAuthenticationIs401InvalidClient() async throws {
        try await Fixture().test { client in
            let refreshToken = try #require(try await client.signIn().refreshToken, "refresh token")
            let wrongSecret = try await client.revokeToken([
                ("token", refreshToken), ("client_id", Fixture.webClientID),
                ("client_secret", "wrong"),
            ])
            #expect(wrongSecret.status == .unauthorized)
            #expect(wrongSecret.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(
                try wrongSecret.decode(OAuthErrorBody.self)
                    == OAuthErrorBody(error: "invalid_client", error_description: "The client secret is wrong"))
            let noSecret = try await client.revokeToken([("token", refreshToken), ("client_id", Fixture.webClientID)])
            #expect(try noSecret.decode(OAuthErrorBody.self).error == "invalid_client")
            let unknown = try await client.revokeToken([("token", refreshToken), ("client_id", "nobody")])
            #expect(unknown.status == .unauthorized)
            #expect(try unknown.decode(OAuthErrorBody.self).error == "invalid_client")
            let basic = try await client.revokeToken(
                [("token", refreshToken)],
                headers: ClientAuthenticationTests.basic(Fixture.webClientID, "nope"))
            #expect(basic.status == .unauthorized)
            #expect(basic.header("WWW-Authenticate") == #"Basic realm="pds-dev-server""#)
            #expect(try await client.refresh(refreshToken).status == .ok, "refused requests revoke nothing")
        }
    }

    @Test func clientsAuthenticateAsAtTheTokenEndpoint() async throws {
        try await Fixture().test { client in
            let webToken = try #require(try await client.signIn().refreshToken, "refresh token")
            let basic = try await client.revokeToken(
                [("token", webToken)], headers: ClientAuthenticationTests.basic(Fixture.webClientID, Fixture.webSecret))
            #expect(basic.status == .ok)
            #expect(try await client.refresh(webToken).status == .badRequest)
            let code = try await client.code(clientID: Fixture.nativeClientID, challenge: Fixture.challenge)
            let native = try await client.exchange(code, clientID: Fixture.nativeClientID, secret: nil, verifier: Fixture.verifier)
            let nativeToken = try #require(try native.decode(TokenResponseBody.self).refreshToken, "refresh token")
            let publicClient = try await client.revokeToken([("token", nativeToken), ("client_id", Fixture.nativeClientID)])
            #expect(publicClient.status == .ok, "a public app sends only its client_id")
            #expect(try await client.refresh(nativeToken, clientID: Fixture.nativeClientID, secret: nil).status == .badRequest)
        }
    }

    /// RFC 7009 §2.1: the token must have been issued to the client revoking it.
    @Test func anotherClientCannotRevokeTheToken() async throws {
        try await Fixture().test { client in
            let tokens = try await client.signIn()
            let refreshToken = try #require(tokens.refreshToken, "refresh token")
            for token in [refreshToken, tokens.accessToken] {
                let foreign = try await client.revokeToken([("token", token), ("client_id", Fixture.nativeClientID)])
                #expect(foreign.status == .badRequest)
                #expect(try foreign.decode(OAuthErrorBody.self).error == "unauthorized_client")
            }
            #expect(try await client.resource("/v2/user/get", accessToken: tokens.accessToken).status == .ok)
            #expect(try await client.refresh(refreshToken).status == .ok)
        }
    }

    @Test func malformedRequestsAreInvalidRequest() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let missing = try await client.revokeToken([("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret)])
            #expect(missing.status == .badRequest)
            #expect(
                try missing.decode(OAuthErrorBody.self)
                    == OAuthErrorBody(
                        error: "invalid_request",
                        error_description: "The required parameter token is missing or empty"))
            let repeated = try await client.revokeToken(Self.webClient("a") + [("token", "b")])
            #expect(try repeated.decode(OAuthErrorBody.self).error == "invalid_request")
            let json = try await client.post("/v2/oauth/revoke", json: #"{"token":"a"}"#)
            #expect(json.status == .badRequest)
            #expect(try json.decode(OAuthErrorBody.self).error == "invalid_request")
            #expect(await fixture.server.statistics().revocations == 0)
        }
    }

    @Test func searchOrderFollowsTheHint() {
        #expect(TokenRevocationHandler.searchOrder(hint: "access_token") == [.access, .refresh])
        #expect(TokenRevocationHandler.searchOrder(hint: "refresh_token") == [.refresh, .access])
        #expect(TokenRevocationHandler.searchOrder(hint: "bogus") == [.refresh, .access])
        #expect(TokenRevocationHandler.searchOrder(hint: nil) == [.refresh, .access])
    }
}
