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
        var status: PDSAuth.ExitStatus
        var code: String
        var testDescription: String { "\(fault)" }
        /// Short only where the fault is slowness the client must cut off; elsewhere long
        /// enough that a busy CI machine is not mistaken for a timeout.
        var transport: TransportOptions {
            switch fault {
            case .delay, .slowBody: TransportOptions(connectTimeout: 2, totalTimeout: 1.5)
            default: TransportOptions(connectTimeout: 5, totalTimeout: 15)
            }
        }
    }

    static let cases: [Case] = [
        Case(fault: .delay(milliseconds: 2500), times: 9, status: .network, code: "timeout"),
        Case(fault: .status(500, retryAfter: nil), times: 9, status: .serverUnavailable, code: "InternalError"),
        Case(fault: .status(503, retryAfter: 0), times: 9, status: .serverUnavailable, code: "ServiceUnavailable"),
        Case(fault: .status(429, retryAfter: 120), times: 9, status: .serverUnavailable, code: "TooManyRequests"),
        Case(fault: .dropConnection, times: 9, status: .network, code: "connection_lost"),
        Case(fault: .invalidJSON, times: 9, status: .invalidResponse, code: "invalid_token_response"),
        Case(fault: .oversizedBody(bytes: 4 << 20), times: 9, status: .invalidResponse, code: "response_too_large"),
        Case(fault: .slowBody(bytesPerSecond: 200), times: 9, status: .network, code: "timeout"),
    ]

    static func check(_ error: PDSAuthError, _ expected: Case) {
        #expect(error.status == expected.status && error.code == expected.code, "\(error)")
        #expect(error.hint != nil && !error.message.isEmpty)
    }

    @Test(arguments: cases)
    func refreshPath(_ expected: Case) async throws {
        try await DevSession.with { session in
            let before = try session.fileBytes()
            await session.server.faults.set(expected.fault, times: expected.times)
            do throws(PDSAuthError) {
                _ = try await TokenProvider(store: session.store, renewer: StandardRenewer(transport: expected.transport))
                    .validProfile("default", minValid: 0, force: true)
                Issue.record("expected \(expected.code)")
            } catch {
                Self.check(error, expected)
            }
            #expect(try session.fileBytes() == before)
        }
    }

    @Test(arguments: cases)
    func signInPath(_ expected: Case) async throws {
        try await DevSession.with { session in
            let before = try session.fileBytes()
            let app = session.server.configuration.apps.first { $0.clientSecret != nil }!
            var harness = try LoginHarness(endpoint: session.base, store: session.store, clientID: app.clientID, clientSecret: app.clientSecret)
            harness.configuration.transport = expected.transport
            let port = LockedValue(0)
            let base = session.base
            let server = session.server
            let result = try await harness.run { startURL in
                port.set(URL(string: startURL)!.port!)
                await server.faults.set(expected.fault, times: expected.times)
                try await DevSession.approve(startURL: startURL, base: base)
            }
            guard case .failure(let error) = result else { Issue.record("expected failure"); return }
            Self.check(error, expected)
            #expect(try session.fileBytes() == before)
            let again = try await ListenerServer.start(host: "127.0.0.1", port: port.value,
                responder: CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok) }, logger: .init(label: "t"))
            await again.stop()
        }
    }

    @Test(arguments: cases)
    func jwtPath(_ expected: Case) async throws {
        let temp = TemporaryDirectory()
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            let key = temp.file("k.pem")
            try Data(server.generatedJWTPrivateKeyPEM!.utf8).write(to: URL(fileURLWithPath: key))
            let store = CredentialStore(directory: temp.file("home"))
            let settings = JWTSettings(privateKeyPath: key, subject: "pdsuser-0001", subjectType: "user", autoCreate: false, lifetime: 300, clockSkew: 30)
            func signIn(_ transport: TransportOptions) throws -> JWTSignIn {
                JWTSignIn(endpoints: try ProviderEndpoints.resolve(endpoint: base, domainID: nil), domainID: "dev",
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
                _ = try await TokenProvider(store: store, renewer: StandardRenewer(transport: expected.transport)).validProfile("jwt", minValid: 0, force: true)
                Issue.record("expected \(expected.code)")
            } catch {
                Self.check(error, expected)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
        }
    }
}
