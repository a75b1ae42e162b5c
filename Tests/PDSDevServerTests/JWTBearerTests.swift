import Foundation
import JWTKit
import Testing

@testable import PDSDevServer

@Suite struct JWTBearerTests {
    /// Sends `assertion` and returns the refusal message (nil on success).
    static func refusal(_ fixture: Fixture, _ assertion: @Sendable (Date) async throws -> String) async throws -> String? {
        try await fixture.test { client in
            let response = try await client.jwtBearer(try await assertion(fixture.clock.now))
            if response.status == .ok { return nil }
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter.Assertion")
            return response.pdsError?.message
        }
    }

    static func signed(_ change: @escaping @Sendable (inout Assertion) -> Void) -> @Sendable (Date) async throws -> String {
        { now in
            var assertion = Assertion(now: now)
            change(&assertion)
            return try assertion.signed(by: try await Assertion.rsa())
        }
    }

    @Test func userAssertionGetsTokensWithoutRefreshToken() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let response = try await client.jwtBearer(try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa()))
            #expect(response.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
            #expect(object["refresh_token"] == nil)
            #expect(Set(object.keys) == Set(AuthorizationCodeGrantTests.pdsFields).subtracting(["refresh_token"]))
            let tokens = try response.decode(TokenResponseBody.self)
            #expect(tokens.userID == "user-1")
            #expect(tokens.role == "admin")
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/.well-known/jwks.json").bodyText)
            let claims = try await keys.verify(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.aud.value == [Fixture.jwtClientID])
        }
    }

    @Test func serviceAssertionActsAsTheDomain() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            var assertion = Assertion(now: fixture.clock.now)
            assertion.sub_type = "service"
            assertion.sub = Fixture.domainID
            let response = try await client.jwtBearer(try assertion.signed(by: try await Assertion.rsa()))
            #expect(response.status == .ok)
            let tokens = try response.decode(TokenResponseBody.self)
            #expect(tokens.userID == Fixture.domainID)
            #expect(tokens.role == "superadmin")
        }
    }

    @Test func autoCreateMakesTheUser() async throws {
        let fixture = try Fixture()
        #expect(try await Self.refusal(fixture, Self.signed { $0.sub = "newcomer" }) == "unknown user newcomer: set auto_create to create it")
        #expect(
            try await Self.refusal(
                fixture,
                Self.signed {
                    $0.sub = "newcomer"
                    $0.auto_create = true
                }) == nil)
        #expect(try await Self.refusal(fixture, Self.signed { $0.sub = "newcomer" }) == nil, "the user now exists")
    }

    @Test func algorithmsOtherThanRS256AreRefused() async throws {
        let fixture = try Fixture()
        let none = try await Self.refusal(fixture) { try Assertion(now: $0).unsecured() }
        #expect(none == "unsupported alg none: only RS256 is accepted")
        let confused = try await Self.refusal(fixture) { try Assertion(now: $0).signed(alg: "HS256", by: try await Assertion.hmacWithPublicKey()) }
        #expect(confused == "unsupported alg HS256: only RS256 is accepted")
        let rs384 = try await Self.refusal(fixture) { try Assertion(now: $0).signed(alg: "RS384", by: try await Assertion.rsa(digest: .sha384)) }
        #expect(rs384 == "unsupported alg RS384: only RS256 is accepted")
        // An HS256 signature presented as RS256 fails the RSA check.
        let relabelled = try await Self.refusal(fixture) { try Assertion(now: $0).signed(alg: "RS256", by: try await Assertion.hmacWithPublicKey()) }
        #expect(relabelled?.hasPrefix("bad signature") == true)
    }

    @Test func signaturesMustComeFromTheRegisteredKey() async throws {
        let fixture = try Fixture()
        let stranger = try await Self.refusal(fixture) { try Assertion(now: $0).signed(by: try await Assertion.rsa(TestKeys.stranger)) }
        #expect(stranger?.hasPrefix("bad signature") == true)
        let tampered = try await Self.refusal(fixture) { now in
            let genuine = try Assertion(now: now).signed(by: try await Assertion.rsa()).split(separator: ".")
            var forged = Assertion(now: now)
            forged.sub = "user-2"
            let forgedPayload = try forged.signed(by: try await Assertion.rsa(TestKeys.stranger)).split(separator: ".")[1]
            return [genuine[0], forgedPayload, genuine[2]].joined(separator: ".")
        }
        #expect(tampered?.hasPrefix("bad signature") == true)
        #expect(try await Self.refusal(fixture) { _ in "not-a-jwt" }?.hasPrefix("malformed") == true)
    }

    @Test func timeClaimsAreChecked() async throws {
        let fixture = try Fixture()
        let max = fixture.server.configuration.maxAssertionLifetime
        func check(_ change: @escaping @Sendable (inout Assertion, Int) -> Void) async throws -> String? {
            try await Self.refusal(
                fixture,
                Self.signed { assertion in
                    change(&assertion, Int(fixture.clock.now.timeIntervalSince1970))
                })
        }
        #expect(try await check { a, now in a.exp = now - 120 } == "expired: exp is in the past")
        #expect(try await check { a, now in a.exp = now - 10 } == nil, "within the clock-skew leeway")
        #expect(try await check { a, now in a.exp = now + max + 300 } == "exp too far ahead: at most \(max) seconds from now is accepted")
        #expect(try await check { a, now in a.exp = now + max } == nil)
        #expect(try await check { a, _ in a.exp = nil } == "missing exp: exp is required")
        #expect(try await check { a, now in a.nbf = now + 300 } == "not yet valid: nbf is in the future")
        #expect(try await check { a, now in a.iat = now + 300 } == "not yet valid: iat is in the future")
        #expect(
            try await check { a, _ in
                a.iat = nil
                a.nbf = nil
            } == nil, "iat and nbf are optional")
    }

    @Test func partiesAreChecked() async throws {
        let fixture = try Fixture()
        #expect(try await Self.refusal(fixture, Self.signed { $0.aud = .one("other") }) == "wrong aud: expected the domain id devdomain")
        #expect(try await Self.refusal(fixture, Self.signed { $0.aud = nil }) == "wrong aud: expected the domain id devdomain")
        #expect(try await Self.refusal(fixture, Self.signed { $0.aud = .many(["x", Fixture.domainID]) }) == nil)
        #expect(try await Self.refusal(fixture, Self.signed { $0.iss = "web-app" }) == "wrong iss: expected the app id jwt-app")
        #expect(try await Self.refusal(fixture, Self.signed { $0.iss = nil }) == "wrong iss: expected the app id jwt-app")
        #expect(try await Self.refusal(fixture, Self.signed { $0.sub_type = "admin" }) == "bad sub_type: must be user or service")
        #expect(try await Self.refusal(fixture, Self.signed { $0.sub = nil }) == "bad sub: sub is required")
        #expect(
            try await Self.refusal(
                fixture,
                Self.signed {
                    $0.sub_type = "service"
                    $0.sub = "user-1"
                })
                == "bad sub: for sub_type service, sub must be the domain id devdomain")
    }

    @Test func jtiIsRequiredBoundedAndSingleUse() async throws {
        let fixture = try Fixture()
        let message = "bad jti: jti is required and must be 16-128 characters"
        #expect(try await Self.refusal(fixture, Self.signed { $0.jti = nil }) == message)
        #expect(try await Self.refusal(fixture, Self.signed { $0.jti = String(repeating: "j", count: 15) }) == message)
        #expect(try await Self.refusal(fixture, Self.signed { $0.jti = String(repeating: "j", count: 129) }) == message)
        #expect(try await Self.refusal(fixture, Self.signed { $0.jti = String(repeating: "j", count: 16) }) == nil)
        #expect(
            try await Self.refusal(fixture, Self.signed { $0.jti = String(repeating: "j", count: 16) })
                == "replayed jti: an assertion with this jti was already used")
    }

    @Test func grantIsForJWTAppsOnly() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let assertion = try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa())
            let notJWTApp = try await client.token([
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret),
                ("assertion", assertion),
            ])
            #expect(notJWTApp.status == .forbidden)
            #expect(notJWTApp.pdsError?.code == "Forbidden")
            let missing = try await client.token([
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("client_id", Fixture.jwtClientID),
            ])
            #expect(missing.pdsError?.code == "InvalidParameterMissing")
        }
    }

    @Test func appWithItsOwnKeyVerifiesWithThatKey() async throws {
        let fixture = try Fixture { $0.apps[2].jwtPublicKeyPEM = TestKeys.stranger.publicKey.pemRepresentation }
        #expect(try await Self.refusal(fixture) { try Assertion(now: $0).signed(by: try await Assertion.rsa(TestKeys.stranger)) } == nil)
        #expect(try await Self.refusal(fixture) { try Assertion(now: $0).signed(by: try await Assertion.rsa()) }?.hasPrefix("bad signature") == true)
    }
}
