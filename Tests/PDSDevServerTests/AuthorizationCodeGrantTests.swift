import Foundation
import Hummingbird
import JWTKit
import PDSShared
import Testing

@testable import PDSDevServer

@Suite struct AuthorizationCodeGrantTests {
    static let pdsFields = [
        "access_token", "refresh_token", "expires_in", "token_type", "expire_time", "user_id", "user_name",
        "nick_name", "avatar", "default_drive_id", "default_sbox_drive_id", "role", "status",
        "is_first_login", "device_id", "device_name", "domain_id", "subdomain_id", "user_data",
    ]

    @Test func exchangeAnswersWithTheFullPDSShape() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let response = try await client.exchange(try await client.code())
            #expect(response.status == .ok)
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("Pragma") == "no-cache")
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(response.header("x-ca-request-id") != nil)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
            #expect(Set(object.keys) == Set(Self.pdsFields))
            #expect(object["user_data"] is [String: Any])
            #expect(object["is_first_login"] as? Bool == true)
            let tokens = try response.decode(TokenResponseBody.self)
            #expect(tokens.tokenType == "Bearer")
            #expect(tokens.expiresIn == 3600)
            #expect(tokens.status == "enabled")
            #expect(tokens.domainID == Fixture.domainID)
            #expect((tokens.userID, tokens.userName, tokens.nickName, tokens.role) == ("user-1", "pdsuser", "PDS User", "admin"))
            #expect(tokens.refreshToken?.wholeMatch(of: /[0-9a-f]{32}/) != nil)
            #expect(tokens.expireTime.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let expiry = try Date(tokens.expireTime, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            #expect(expiry == fixture.clock.now.addingTimeInterval(3600))
            let second = try await client.signIn()
            #expect(second.isFirstLogin == false)
            #expect(second.deviceID != tokens.deviceID)
        }
    }

    @Test func accessTokenVerifiesAgainstTheJWKS() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let tokens = try await client.signIn()
            let jwks = try await client.get("/.well-known/jwks.json").bodyText
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks)
            let claims = try await keys.verify(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.userId == "user-1")
            #expect(claims.sub.value == "user-1")
            #expect(claims.aud.value == [Fixture.webClientID])
            #expect(claims.iss.value == "http://127.0.0.1:0")
            #expect(claims.exp.value == fixture.clock.now.addingTimeInterval(3600))
            #expect(claims.iat.value == fixture.clock.now)
            #expect(claims.jti.value.count >= 16)
            let custom = try JSONDecoder().decode(AccessTokenClaims.CustomJSON.self, from: Data(claims.customJson.utf8))
            #expect(custom.clientId == Fixture.webClientID)
            #expect(custom.domainId == Fixture.domainID)
            #expect(custom.scope == PDSScopes.all)
            #expect(custom.role == "admin")
            let header = try JSONDecoder().decode(
                [String: String].self, from: try #require(Base64URL.decode(tokens.accessToken.split(separator: ".")[0]), "header"))
            let set = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(jwks.utf8))
            #expect(header["alg"] == "RS256")
            #expect(header["kid"] == set.keys.first?.kid)
        }
    }

    @Test func aReplayedCodeIsRefusedAndRevokesItsTokens() async throws {
        try await Fixture().test { client in
            let code = try await client.code()
            let first = try await client.exchange(code).decode(TokenResponseBody.self)
            let replay = try await client.exchange(code)
            #expect(replay.status == .badRequest)
            #expect(replay.pdsError?.code == "InvalidParameter.Code")
            #expect(replay.pdsError?.message.contains("already used") == true)
            let refresh = try await client.refresh(try #require(first.refreshToken, "refresh token"))
            #expect(refresh.pdsError?.code == "InvalidParameter.RefreshToken")
            #expect(refresh.pdsError?.message.contains("revoked") == true)
        }
    }

    @Test func wrongRedirectURIIsRefusedAndSpendsTheCode() async throws {
        try await Fixture().test { client in
            let code = try await client.code()
            let wrong = try await client.exchange(code, redirectURI: "http://127.0.0.1:3000/other")
            #expect(wrong.status == .badRequest)
            #expect(wrong.pdsError?.code == "InvalidParameter.RedirectUri")
            #expect(try await client.exchange(code).pdsError?.code == "InvalidParameter.Code")
        }
    }

    @Test func expiredUnknownAndForeignCodesAreRefused() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let code = try await client.code()
            fixture.clock.advance(seconds: Double(fixture.server.configuration.codeLifetime + 1))
            let expired = try await client.exchange(code)
            #expect(
                expired.pdsError
                    == PDSErrorBody(
                        code: "InvalidParameter.Code", message: "The authorization code has expired",
                        requestId: try #require(expired.header("x-ca-request-id"), "request id")))
            #expect(try await client.exchange("no-such-code").pdsError?.message == "The authorization code is unknown")
            let native = try await client.code(clientID: Fixture.nativeClientID, challenge: Fixture.challenge)
            let foreign = try await client.exchange(native)
            #expect(foreign.pdsError?.message == "The authorization code was issued to another app")
        }
    }

    @Test func missingAndMalformedParametersAreNamed() async throws {
        try await Fixture().test { client in
            let noCode = try await client.token([
                ("grant_type", "authorization_code"), ("redirect_uri", Fixture.redirectURI),
                ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret),
            ])
            #expect(noCode.status == .badRequest)
            #expect(noCode.pdsError?.code == "InvalidParameterMissing")
            #expect(noCode.pdsError?.message.contains("code") == true)
            let noRedirect = try await client.token([
                ("grant_type", "authorization_code"), ("code", "x"),
                ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret),
            ])
            #expect(noRedirect.pdsError?.message.contains("redirect_uri") == true)
            let noGrant = try await client.token([("client_id", Fixture.webClientID)])
            #expect(noGrant.pdsError?.code == "InvalidParameterMissing")
            let badGrant = try await client.token([("grant_type", "password"), ("client_id", Fixture.webClientID)])
            #expect(badGrant.pdsError?.code == "InvalidParameter.GrantType")
            let repeated = try await client.token([("grant_type", "authorization_code"), ("code", "a"), ("code", "b")])
            #expect(repeated.pdsError?.code == "InvalidParameter")
            let json = try await client.post("/v2/oauth/token", json: #"{"grant_type":"authorization_code"}"#)
            #expect(json.pdsError?.code == "InvalidParameter.ContentType")
            let badEncoding = try await client.base.execute(
                uri: "/v2/oauth/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded; charset=utf-8"],
                body: ByteBuffer(string: "grant_type=%ZZ"))
            #expect(badEncoding.pdsError?.code == "InvalidParameter")
        }
    }
}
