import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// SIGINT and SIGTERM end every command with 130 / 143, whenever they arrive: while the
/// signal handling is being set up, while the listener binds, during the wait, during a
/// request that never answers. None is lost (the process would wait on) and none kills the process outright
/// (the shell would see a signal death, and login would not close its listener).
@Suite struct SignalDeliveryTests {
    static func login(home: String) -> CLIProcess {
        CLIProcess(["login", "--no-browser", "--timeout", "60", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev",
                    "--client-id", "c", "--redirect-uri", "http://127.0.0.1:0/callback"], environment: ["PDS_AUTH_HOME": home])
    }

    @Test func signalsAtAnyMomentOfLoginEndItWithTheirStatus() async throws {
        let home = TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<30 {
            let (signal, status) = round % 2 == 0 ? (SIGINT, Int32(130)) : (SIGTERM, Int32(143))
            let login = Self.login(home: home.path)
            try login.start()
            // From right after exec to after the start line: the early moments are the racy ones.
            try await Task.sleep(for: .microseconds(Int.random(in: 0...100_000, using: &generator)))
            login.signal(signal)
            let exit = try await login.wait(timeout: .seconds(20))
            // Before `main` runs, the signal's default action ends the process, which a shell
            // reports as the same 128+N; from `main` on, the exit status says it.
            let diedBeforeMain = login.process.terminationReason == .uncaughtSignal && exit == signal && login.stderr.isEmpty
            #expect(diedBeforeMain || (login.process.terminationReason == .exit && exit == status),
                    "round \(round): \(login.process.terminationReason.rawValue)/\(exit) \(login.stderr)")
        }
    }

    /// A command that is not waiting on the browser (here: a refresh whose token endpoint
    /// accepts the connection and never answers) stops on Ctrl-C too.
    @Test func ctrlCStopsARequestThatNeverAnswers() async throws {
        let home = TemporaryDirectory()
        let silent = try #require(HeldPort(host: "127.0.0.1"))
        let profile = StoredProfile(grant: .authorizationCode, endpoints: try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:\(silent.port)", domainID: nil),
            domainID: "dev", clientID: "c", clientSecret: nil, redirectURI: "http://127.0.0.1:8765/callback", scope: nil, caBundlePath: nil,
            accessToken: "earlier-token", refreshToken: "earlier-refresh", tokenType: "Bearer",
            expiresAt: Date(timeIntervalSince1970: 1_000_000_000), obtainedAt: Date(timeIntervalSince1970: 900_000_000), user: nil)
        try await CredentialStore(directory: home.path).save(profile, as: "dev", makeCurrent: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json"))
        let refresh = CLIProcess(["refresh"], environment: ["PDS_AUTH_HOME": home.path])
        try refresh.start()
        try await Task.sleep(for: .milliseconds(500))
        refresh.signal(SIGINT)
        let exit = try await refresh.wait(timeout: .seconds(10))
        #expect(refresh.process.terminationReason == .exit && exit == 130, "\(exit) \(refresh.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json")) == before)
    }
}
