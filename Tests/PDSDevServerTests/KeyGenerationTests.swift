import Foundation
import JWTKit
import PDSShared
import Testing

@testable import PDSDevServer

/// The server's RSA keys are made on a thread of their own while it already answers; only
/// what needs a key waits for them. A key source that blocks until the test opens a gate
/// stands for a slow generation, one that throws for a failed one. A server that waited
/// for its keys before answering would never answer here: the time limit ends such a run.
@Suite(.timeLimit(.minutes(1))) struct KeyGenerationTests {
    /// Blocks the key source's thread (never a task's) until opened.
    final class Gate: @unchecked Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        func wait() { semaphore.wait() }
        func open() { semaphore.signal() }
    }

    static func gated(_ gate: Gate) -> DevServerKeys.Source {
        { _ in
            gate.wait()
            return TestKeys.server
        }
    }

    static let failure = DevServerError.keyGenerationFailed("no entropy (test)")

    /// Until `count` requests wait for the keys. No timing: the requests are parked or not
    /// (ten seconds only bound a server that never parks them).
    static func waitUntilWaiting(_ server: DevServer, _ count: Int) async throws {
        for _ in 0..<2000 where server.state.keys.generation.waiting < count {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(server.state.keys.generation.waiting == count, "the requests that need keys wait for them")
    }

    @Test func answersWhatNeedsNoKeyBeforeTheKeysExist() async throws {
        let gate = Gate()
        defer { gate.open() }
        let fixture = try Fixture(keys: Self.gated(gate))
        try await fixture.test { client in
            let page = try await client.authorize(Client.authorizeFields())
            #expect(page.status == .ok)
            #expect(page.bodyText.contains("pdsuser"))
            let code = try await client.code()
            #expect(!code.isEmpty, "the consent decision needs no key")
            #expect(try await client.get("/nowhere").status == .notFound)
            #expect(try await client.exchange(code, secret: "wrong").status == .unauthorized, "client authentication needs no key")
        }
        #expect(fixture.server.state.keys.generation.waiting == 0)
    }

    @Test func tokensTheKeySetAndAssertionsWaitForTheKeysThenSucceed() async throws {
        let gate = Gate()
        let fixture = try Fixture(keys: Self.gated(gate))
        try await fixture.test { client in
            let code = try await client.code()
            let assertion = try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa())
            async let exchange = client.exchange(code)
            async let keySet = client.get("/.well-known/jwks.json")
            async let jwtBearer = client.jwtBearer(assertion)
            try await Self.waitUntilWaiting(fixture.server, 3)
            gate.open()
            let (tokensResponse, setResponse, assertionResponse) = try await (exchange, keySet, jwtBearer)
            #expect(tokensResponse.status == .ok)
            #expect(setResponse.status == .ok)
            #expect(assertionResponse.status == .ok, "the assertion verifies under the generated JWT-app key")
            let set = try setResponse.decode(JSONWebKeySet.self)
            #expect(set.keys == [try JSONWebKey(publicKey: TestKeys.server.signing.publicKey)])
            let tokens = try tokensResponse.decode(TokenResponseBody.self)
            let keys = try await JWTKeyCollection().add(jwksJSON: setResponse.bodyText)
            let claims = try await keys.verify(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.aud.value == [Fixture.webClientID])
            let header = try #require(Base64URL.decode(tokens.accessToken.split(separator: ".")[0]), "header")
            #expect(try JSONDecoder().decode([String: String].self, from: header)["kid"] == set.keys.first?.kid)
            #expect(try await client.resource("/v2/user/get", accessToken: tokens.accessToken).status == .ok)
        }
        #expect(try await fixture.server.generatedJWTPrivateKeyPEM == TestKeys.server.jwtApp?.pemRepresentation)
    }

    @Test func aFailedKeyGenerationIsAServerErrorForWhatNeedsAKey() async throws {
        let fixture = try Fixture(keys: { _ throws(DevServerError) -> DevServerKeys in throw Self.failure })
        try await fixture.test { client in
            #expect(try await client.authorize(Client.authorizeFields()).status == .ok)
            let code = try await client.code()
            #expect(try await client.exchange(code, secret: "wrong").status == .unauthorized, "refusals that need no key are unchanged")
            for response in [try await client.exchange(code), try await client.get("/.well-known/jwks.json")] {
                #expect(response.status == .internalServerError)
                #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
                #expect(response.pdsError?.code == "InternalError")
                #expect(response.pdsError?.message == "The dev server has no RSA keys: \(Self.failure)")
            }
        }
        await #expect(throws: Self.failure) { try await fixture.server.generatedJWTPrivateKeyPEM }
    }
}
