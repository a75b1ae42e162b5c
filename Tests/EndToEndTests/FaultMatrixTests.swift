import Foundation
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// Every token-endpoint fault the dev server can inject, on each path that calls the token
/// endpoint (browser sign-in, refresh, JWT-bearer): a distinct error, credentials
/// byte-identical, and (for sign-in) the listener's port released.
@Suite struct FaultMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fault: DevServerFault
        var times: Int
        var code: PDSAuthError.Code
        /// Token requests the client makes: 1 unless the fault is one retrying is safe for.
        var requests: Int
        var testDescription: String { "\(fault)" }
        /// Short only where the fault is slowness the client must cut off; elsewhere long
        /// enough that a busy CI machine is not mistaken for a timeout.
        var transport: TransportOptions {
            switch fault {
            case .delay, .slowBody: TransportOptions(connectTimeout: .seconds(2), totalTimeout: .milliseconds(1500))
            default: TransportOptions(connectTimeout: .seconds(5), totalTimeout: .seconds(15))
            }
        }
    }

    static let cases: [Case] = [
        Case(fault: .delay(milliseconds: 2500), times: 9, code: .httpTimeout, requests: 1),
        Case(fault: .status(500, retryAfter: nil), times: 9, code: .serverUnavailable, requests: 1),
        Case(fault: .status(503, retryAfter: 0), times: 9, code: .serverUnavailable, requests: 3),
        Case(fault: .status(503, retryAfter: nil), times: 9, code: .serverUnavailable, requests: 3),
        Case(fault: .status(429, retryAfter: 120), times: 9, code: .serverUnavailable, requests: 1),
        Case(fault: .dropConnection, times: 9, code: .connectionLost, requests: 1),
        Case(fault: .invalidJSON, times: 9, code: .invalidResponse, requests: 1),
        Case(fault: .oversizedBody(bytes: 4 << 20), times: 9, code: .responseTooLarge, requests: 1),
        Case(fault: .slowBody(bytesPerSecond: 200), times: 9, code: .httpTimeout, requests: 1),
    ]

    static func check(_ error: PDSAuthError, _ expected: Case) {
        #expect(error.code == expected.code && !error.message.isEmpty, "\(error)")
    }

    /// How many token requests of `grant` the server saw. The server counts a request once
    /// it has read its body, which on a loaded machine can come after the client gave up (a
    /// timeout): wait for the count to reach `expected`, then a moment more, so that an
    /// extra request (a retry the policy forbids) is still seen. That moment is a fixed
    /// sleep on purpose: no state marks a request that should never come.
    static func requests(_ server: DevServer, _ grant: String, expected: Int) async -> Int {
        func count() async -> Int { await server.statistics().tokenRequests[grant] ?? 0 }
        _ = try? await waitUntil(timeout: .seconds(30)) { await count() >= expected }
        try? await Task.sleep(for: .milliseconds(100))
        return await count()
    }

    @Test(arguments: cases)
    func refreshPath(_ expected: Case) async throws {
        try await DevSession.with { session in
            let before = try session.fileBytes()
            await session.server.faults.set(expected.fault, times: expected.times)
            do throws(PDSAuthError) {
                _ = try await TokenProvider(store: session.store, renewer: StandardRenewer(transport: expected.transport))
                    .validProfile("default", minValid: .zero, force: true)
                Issue.record("expected \(expected.code)")
            } catch {
                Self.check(error, expected)
            }
            #expect(try session.fileBytes() == before)
            #expect(
                await Self.requests(session.server, "refresh_token", expected: expected.requests) == expected.requests,
                "retried exactly as the policy allows")
        }
    }

    @Test(arguments: cases)
    func signInPath(_ expected: Case) async throws {
        try await DevSession.with { session in
            let before = try session.fileBytes()
            let app = session.server.configuration.apps.first { $0.clientSecret != nil }!
            var harness = try LoginHarness(endpoint: session.base, store: session.store, clientID: app.clientID, clientSecret: app.clientSecret)
            harness.configuration.transport = expected.transport
            // A port no other test is handed by the kernel, so binding it again below proves
            // this listener released it.
            harness.configuration.redirects = [try RedirectTarget(parsing: "http://127.0.0.1:\(TestPorts.belowEphemeralRange())/callback")]
            let port = LockedValue(0)
            let base = session.base
            let server = session.server
            let result = try await harness.run { startURL in
                port.set(URL(string: startURL)!.port!)
                await server.faults.set(expected.fault, times: expected.times)
                try await DevSession.approve(startURL: startURL, base: base)
            }
            guard case .failure(let error) = result else {
                Issue.record("expected failure")
                return
            }
            Self.check(error, expected)
            #expect(try session.fileBytes() == before)
            // One code exchange at set-up (DevSession), then the faulted one.
            #expect(await Self.requests(server, "authorization_code", expected: 1 + expected.requests) == 1 + expected.requests)
            let again = try await ListenerServer.start(
                host: "127.0.0.1", port: port.value,
                responder: CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok) }, logger: .init(label: "t"))
            await again.stop()
        }
    }

    @Test(arguments: cases)
    func jwtPath(_ expected: Case) async throws {
        let temp = TemporaryDirectory()
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            let key = temp.file("k.pem")
            try Data(try await server.generatedJWTPrivateKeyPEM!.utf8).write(to: URL(fileURLWithPath: key))
            let store = CredentialStore(directory: temp.file("home"))
            let settings = JWTSettings(
                privateKeyPath: key, subject: "pdsuser-0001", subjectType: "user", autoCreate: false, lifetime: .seconds(300), clockSkew: .seconds(30)
            )
            func signIn(_ transport: TransportOptions) throws -> JWTSignIn {
                JWTSignIn(
                    endpoints: try ProviderEndpoints.resolve(endpoint: base, domainID: nil), domainID: "dev",
                    clientID: "pds-auth-jwt", settings: settings, profileName: "jwt", store: store, transport: transport)
            }
            // The first sign-in is set-up, not under test: the default bounds.
            _ = try await signIn(TransportOptions()).run()
            let before = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
            await server.faults.set(expected.fault, times: expected.times)
            let faulted = try signIn(expected.transport)
            do throws(PDSAuthError) {
                _ = try await faulted.run()
                Issue.record("expected \(expected.code)")
            } catch {
                Self.check(error, expected)
            }
            do throws(PDSAuthError) {
                _ = try await TokenProvider(store: store, renewer: StandardRenewer(transport: expected.transport)).validProfile(
                    "jwt", minValid: .zero, force: true)
                Issue.record("expected \(expected.code)")
            } catch {
                Self.check(error, expected)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
            #expect(
                await Self.requests(server, "urn:ietf:params:oauth:grant-type:jwt-bearer", expected: 1 + 2 * expected.requests) == 1 + 2
                    * expected.requests)
        }
    }
}
