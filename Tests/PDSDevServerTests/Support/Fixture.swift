import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

@testable import PDSDevServer

/// A dev server with fixed apps and users, a hand-moved clock and shared keys, exercised
/// through HummingbirdTesting's router client (no socket).
struct Fixture: Sendable {
    static let redirectURI = "http://127.0.0.1:3000/callback"
    static let webClientID = "web-app"
    /// Contains characters RFC 6749 §2.3.1 requires Basic credentials to percent-encode.
    static let webSecret = "s3cr:et/+%"
    static let nativeClientID = "native-app"
    static let jwtClientID = "jwt-app"
    static let domainID = "devdomain"
    /// RFC 7636 Appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    let server: DevServer
    let clock: TestClock

    /// Refusals are logged at notice level; the tests check them in the responses instead.
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func configuration() throws -> DevServerConfiguration {
        try DevServerConfiguration(
            port: 0, domainID: domainID,
            apps: [
                DevApp(clientID: webClientID, clientSecret: webSecret, name: "Web App", redirectURIs: [redirectURI]),
                DevApp(clientID: nativeClientID, name: "Native App", redirectURIs: [redirectURI]),
                DevApp(clientID: jwtClientID, name: "JWT App", usesJWTBearer: true),
            ],
            users: [
                DevUser(userID: "user-1", userName: "pdsuser", nickName: "PDS User", role: "admin", defaultDriveID: "1"),
                DevUser(userID: "user-2", userName: "alice", nickName: "Alice", role: "user", defaultDriveID: "2"),
            ])
    }

    /// `keys` is where the server gets its keys: by default the shared ones.
    init(
        _ configure: (inout DevServerConfiguration) throws -> Void = { _ in },
        keys: @escaping DevServerKeys.Source = { _ in TestKeys.server }
    ) throws {
        var configuration = try Self.configuration()
        try configure(&configuration)
        clock = TestClock()
        server = try DevServer(configuration: configuration, logger: Self.quiet, keys: keys, clock: clock.clock)
    }

    /// Runs `body` against the server's responder.
    func test<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        let app = Application(responder: server.responder)
        return try await app.test(.router) { client in try await body(Client(base: client, fixture: self)) }
    }

    /// Runs `body` against the server listening on an ephemeral loopback port.
    func live<T: Sendable>(_ body: (DevServer, String) async throws -> T) async throws -> T {
        try await server.withRunning(body)
    }
}
