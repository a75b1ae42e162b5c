import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// `LoginFlow` with the token endpoint in memory (its injected `TokenExchange`): what the
/// exchange is asked, and what is saved (or not) after it answered, without a listener or
/// a socket. The same flow against a real HTTP endpoint is `LoginFlowTests`.
@Suite struct LoginFlowExchangeTests {
    static let redirect = "http://127.0.0.1:8765/callback"

    /// A flow on `store` whose code exchange is `endpoint`, waiting for answers.
    static func flow(_ store: CredentialStore, _ endpoint: MemoryTokenEndpoint) throws -> LoginFlow {
        var configuration = LoginConfiguration(
            endpoints: try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:1", domainID: nil), domainID: "dev", clientID: "c",
            clientSecret: "s3cr+t", redirects: [try RedirectTarget(parsing: redirect)], scope: nil, loginType: "default",
            profileName: "default", store: store, transport: TransportOptions(connectTimeout: .seconds(7), totalTimeout: .seconds(9)))
        configuration.exchange = endpoint.exchange
        return LoginFlow(configuration: configuration, redirect: try RedirectTarget(parsing: redirect), answers: LoginAnswers())
    }

    /// Runs the flow while `answer` plays the browser and the terminal; the flow's outcome.
    static func run(
        _ flow: LoginFlow, answering answer: @Sendable (LoginAnswers) async throws -> Void
    ) async throws -> Result<LoginResult, PDSAuthError> {
        let running = Task { try await flow.run() }
        try await answer(flow.answers)
        return await running.result.mapError { $0 as! PDSAuthError }
    }

    /// A store with one profile saved, and the file's bytes and the directory's names, so
    /// "untouched" is checked exactly.
    static func seeded() async throws -> (CredentialStore, Data, [String], TemporaryDirectory) {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("creds"))
        try await store.save(try CredentialStoreTests.profile("earlier"), as: "default", makeCurrent: true)
        return (store, try Data(contentsOf: URL(fileURLWithPath: store.filePath)), try Self.names(store), temp)
    }

    static func names(_ store: CredentialStore) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted() }

    @Test func theExchangeIsAskedForTheCodeAsThisClientAndTheProfileIsSaved() async throws {
        let (store, _, _, temp) = try await Self.seeded()
        let endpoint = MemoryTokenEndpoint()
        let flow = try Self.flow(store, endpoint)
        let outcome = try await Self.run(flow) { answers in
            let reply = await answers.submit(.redirect(CallbackParameters(code: "c0de", state: flow.state)))
            guard case .signedIn(let result) = reply else { throw CLIProcessError(message: "\(reply)") }
            #expect(result.profile.accessToken == "at-1-0123456789abcdef")
        }
        #expect(try outcome.get().profile.refreshToken == "rt-1")
        let request = try #require(endpoint.requests.first)
        #expect(endpoint.requests.count == 1)
        guard case let .authorizationCode(code, redirectURI, verifier) = request.grant else { throw CLIProcessError(message: "\(request.grant)") }
        #expect(code == "c0de" && redirectURI == Self.redirect && verifier == flow.pkce?.verifier && verifier != nil)
        #expect(request.tokenURL == flow.configuration.endpoints.tokenURL && request.clientID == "c" && request.clientSecret == "s3cr+t")
        #expect(request.domainID == "dev" && request.transport.totalTimeout == .seconds(9), "the sign-in's domain and transport")
        let saved = try store.load()
        #expect(saved.profiles["default"]?.accessToken == "at-1-0123456789abcdef" && saved.current == "default")
        _ = temp
    }

    /// The promise in LoginFlow's and SECURITY.md's words: nothing is written unless the
    /// exchange succeeded. The earlier profile stays byte-identical, nothing is left beside it.
    @Test(arguments: [PDSAuthError.Code.serverUnavailable, .grantRejected, .httpTimeout, .invalidResponse])
    func aFailedExchangeSavesNothing(_ code: PDSAuthError.Code) async throws {
        let (store, bytes, names, temp) = try await Self.seeded()
        let endpoint = MemoryTokenEndpoint(refusal: { _ in PDSAuthError(code, "refused in memory") })
        let flow = try Self.flow(store, endpoint)
        let outcome = try await Self.run(flow) { answers in
            let reply = await answers.submit(.redirect(CallbackParameters(code: "c0de", state: flow.state)))
            guard case .failed(let error) = reply else { throw CLIProcessError(message: "\(reply)") }
            #expect(error.code == code, "the browser is told the sign-in failed")
        }
        #expect { try outcome.get() } throws: { ($0 as? PDSAuthError)?.code == code }
        #expect(endpoint.requests.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes, "the earlier profile is byte-identical")
        #expect(try Self.names(store) == names, "nothing written beside it")
        _ = temp
    }

    /// A redirect without this sign-in's state never reaches the token endpoint: no code of
    /// an attacker's is spent, and the wait goes on until the real one.
    @Test func aForeignStateSpendsNothing() async throws {
        let (store, bytes, _, temp) = try await Self.seeded()
        let endpoint = MemoryTokenEndpoint()
        let flow = try Self.flow(store, endpoint)
        let outcome = try await Self.run(flow) { answers in
            for state in ["", "forged", String(flow.state.dropLast())] {
                let reply = await answers.submit(.redirect(CallbackParameters(code: "attacker-code", state: state.isEmpty ? nil : state)))
                guard case .refused = reply else { throw CLIProcessError(message: "\(reply)") }
            }
            #expect(endpoint.requests.isEmpty, "refused before any exchange")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes)
            _ = await answers.submit(.redirect(CallbackParameters(code: "real", state: flow.state)))
        }
        #expect(try outcome.get().profile.accessToken == "at-1-0123456789abcdef")
        #expect(endpoint.requests.count == 1)
        _ = temp
    }

    /// A mangled paste is refused by the server with `invalid_grant`: nothing is saved and
    /// the user may paste again; the real code then signs in.
    @Test func aRejectedPasteKeepsTheSignInWaiting() async throws {
        let (store, bytes, _, temp) = try await Self.seeded()
        let endpoint = MemoryTokenEndpoint(refusal: { request in
            guard case .authorizationCode("mangled", _, _) = request.grant else { return nil }
            return PDSAuthError(.grantRejected, "The code is invalid or expired")
        })
        let flow = try Self.flow(store, endpoint)
        let events = LockedValue<[String]>([])
        let running = Task { try await flow.run { event in events.update { $0.append("\(event)") } } }
        flow.answers.post(.pasted("mangled"))
        let rejected = try await waitUntil { events.value.contains { $0.contains("codeRejected") } }
        #expect(rejected, "the rejected paste is noted: \(events.value)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes, "nothing saved after the rejected paste")
        flow.answers.post(.pasted("good-code"))
        let result = try await running.value
        #expect(result.profile.accessToken == "at-1-0123456789abcdef" && endpoint.requests.count == 2)
        _ = temp
    }
}
