import Testing

@testable import PDSDevServer

@Suite struct PKCETests {
    @Test func rfc7636AppendixBVector() {
        #expect(PKCE.s256Challenge(for: Fixture.verifier) == Fixture.challenge)
        #expect(PKCE.verify(verifier: Fixture.verifier, challenge: Fixture.challenge))
        #expect(!PKCE.verify(verifier: Fixture.verifier + "x", challenge: Fixture.challenge))
    }

    @Test func grammarIsEnforced() {
        #expect(PKCE.isWellFormed(Fixture.verifier))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 42)))
        #expect(PKCE.isWellFormed(String(repeating: "a", count: 128)))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 129)))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 42) + "+"))
    }

    @Test func correctVerifierIsAccepted() async throws {
        try await Fixture().test { client in
            let code = try await client.code(clientID: Fixture.nativeClientID, challenge: Fixture.challenge)
            let response = try await client.exchange(code, clientID: Fixture.nativeClientID, secret: nil, verifier: Fixture.verifier)
            #expect(response.status == .ok)
            #expect(try response.decode(TokenResponseBody.self).refreshToken != nil)
        }
    }

    @Test(
        arguments: [
            (nil, "code_verifier is required: the authorization request had a code_challenge"),
            ("wrong-verifier-wrong-verifier-wrong-verifier-0", "code_verifier does not match the code_challenge"),
            ("short", "code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)"),
        ] as [(String?, String)])
    func missingOrWrongVerifierIsRefused(verifier: String?, message: String) async throws {
        try await Fixture().test { client in
            let code = try await client.code(clientID: Fixture.nativeClientID, challenge: Fixture.challenge)
            let response = try await client.exchange(code, clientID: Fixture.nativeClientID, secret: nil, verifier: verifier)
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter.CodeVerifier")
            #expect(response.pdsError?.message == message)
        }
    }

    @Test func verifierWithoutChallengeIsRefused() async throws {
        try await Fixture().test { client in
            let response = try await client.exchange(try await client.code(), verifier: Fixture.verifier)
            #expect(response.pdsError?.code == "InvalidParameter.CodeVerifier")
        }
    }

    @Test func confidentialClientMayUsePKCETooAndNeedsBoth() async throws {
        try await Fixture().test { client in
            let code = try await client.code(challenge: Fixture.challenge)
            #expect(try await client.exchange(code, verifier: Fixture.verifier).status == .ok)
        }
    }
}
