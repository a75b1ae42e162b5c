import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// SIGINT and SIGTERM end every command, whenever they arrive: while the signal handling is
/// being set up, while the listener binds, during the wait, during a request that never
/// answers. None is lost (the process would wait on) and none kills the process before it
/// has unwound (login would not close its listener, nor say so); once it has, it dies of
/// the signal, which a shell reports as 130 / 143 and which stops a shell loop.
@Suite struct SignalDeliveryTests {
    static func login(home: String) -> CLIProcess {
        CLIProcess(
            [
                "login", "--no-browser", "--no-preflight", "--timeout", "60", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev",
                "--client-id", "c", "--redirect-uri", "http://127.0.0.1:0/callback",
            ], environment: ["PDS_AUTH_HOME": home])
    }

    @Test func signalsAtAnyMomentOfLoginEndItWithTheirStatus() async throws {
        let home = TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<30 {
            let signal = round % 2 == 0 ? SIGINT : SIGTERM
            let login = Self.login(home: home.path)
            try login.start()
            // From right after exec to after the start line: the early moments are the racy ones.
            // A random moment is the point here, so this sleep stays.
            try await Task.sleep(for: .microseconds(Int.random(in: 0...100_000, using: &generator)))
            login.signal(signal)
            let exit = try await login.wait(timeout: .seconds(20))
            // Before `main` runs, the signal's default action ends the process (nothing said);
            // from `main` on, it unwinds, says so, and then dies of the signal.
            let unwound = login.stderr.contains("Interrupted; nothing was saved and the listener was closed")
            #expect(login.diedOf == signal && (login.stderr.isEmpty || unwound), "round \(round): \(exit) \(login.stderr)")
        }
    }

    /// A command that is not waiting on the browser (here: a refresh whose token endpoint
    /// accepts the connection and never answers) stops on Ctrl-C too.
    @Test func ctrlCStopsARequestThatNeverAnswers() async throws {
        let home = TemporaryDirectory()
        let silent = try #require(HeldPort(host: "127.0.0.1"))
        let profile = try StoredProfile.fixture(
            endpoint: "http://127.0.0.1:\(silent.port)", redirectURI: "http://127.0.0.1:8765/callback",
            accessToken: "earlier-token", refreshToken: "earlier-refresh",
            expiresAt: Date(timeIntervalSince1970: 1_000_000_000), obtainedAt: Date(timeIntervalSince1970: 900_000_000))
        try await CredentialStore(directory: home.path).save(profile, as: "dev", makeCurrent: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json"))
        let refresh = CLIProcess(["refresh"], environment: ["PDS_AUTH_HOME": home.path])
        try refresh.start()
        // Ctrl-C once the request is under way: the refresh has connected (nobody accepts on
        // the held port, so the connection waits in its queue).
        try #require(try await waitUntil { (ListenQueue.pending(port: silent.port) ?? 0) > 0 }, "\(refresh.stderr)")
        refresh.signal(SIGINT)
        let exit = try await refresh.wait(timeout: .seconds(10))
        #expect(refresh.diedOf == SIGINT && exit == 130, "\(exit) \(refresh.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json")) == before)
    }

    /// A shell loop over pds-auth stops on Ctrl-C, as for any program: bash ends a loop only
    /// when its child died of SIGINT, which an exit with status 130 is not.
    @Test func ctrlCStopsAShellLoopRunningLogin() async throws {
        let home = TemporaryDirectory()
        let binary = CLIProcess.binary()
        // --timeout 30: should the loop go on (the bug), the next login outlives the killed
        // shell by 30 s at most, instead of holding the test runner's pipe for ten minutes.
        let script =
            #"while :; do "$0" login --timeout 30 --no-browser --no-preflight --endpoint http://127.0.0.1:9 --domain-id dev --client-id c --redirect-uri http://127.0.0.1:0/callback; echo "next round" >&2; done"#
        let loop = CLIProcess(["-c", script, binary], environment: ["PDS_AUTH_HOME": home.path], executable: "/bin/bash")
        try loop.start()
        _ = try await loop.waitForStderr("to sign in to")
        // Ctrl-C at a terminal signals the whole foreground group at once: the shell and
        // pds-auth. The shell leads a group of its own (CLIProcess) and, without job control,
        // keeps its children in it. (Two kills, one after the other, raced: a shell that had
        // reaped pds-auth before its own SIGINT arrived went on to the next round.)
        _ = try #require(Self.child(of: loop.pid), "the loop's pds-auth")
        kill(-loop.pid, SIGINT)
        _ = try await loop.wait(timeout: .seconds(20))
        #expect(loop.diedOf == SIGINT && !loop.stderr.contains("next round"), "\(loop.stderr)")
    }

    /// A signal pds-auth was started with ignored stays ignored (nohup), in it and in the
    /// program `exec` runs.
    @Test func aSignalIgnoredAtStartStaysIgnored() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(
            [
                "login", "--no-browser", "--no-preflight", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev", "--client-id", "c",
                "--redirect-uri", "http://127.0.0.1:0/callback",
            ], environment: ["PDS_AUTH_HOME": home.path], ignoring: ["HUP"])
        try login.start()
        _ = try await login.waitForStderr("to sign in to")
        login.signal(SIGHUP)
        // Time for a SIGHUP that was not ignored to end it: nothing marks a signal that has
        // no effect, so this one waits a fixed while.
        try await Task.sleep(for: .milliseconds(500))
        #expect(login.isRunning, "SIGHUP ignored, as nohup asked: \(login.stderr)")
        login.signal(SIGTERM)
        #expect(try await login.wait(timeout: .seconds(20)) == 143 && login.diedOf == SIGTERM)

        try await DevSession.with { session in
            let script = "grep -E '^SigIgn' /proc/self/status"
            let exec = CLIProcess(["exec", "--", "/bin/sh", "-c", script], environment: session.environment, ignoring: ["HUP"])
            try exec.start()
            #expect(try await exec.wait() == 0, "\(exec.stderr)")
            let mask = try #require(UInt64(exec.stdout.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16))
            #expect(mask & (1 << (UInt64(SIGHUP) - 1)) != 0, "the program inherits SIGHUP ignored: \(exec.stdout)")
            #expect(mask & (1 << (UInt64(SIGPIPE) - 1)) == 0, "but not our own SIGPIPE: \(exec.stdout)")
        }
    }

    /// The first child process of `parent` (from /proc), once it has one.
    static func child(of parent: pid_t) -> pid_t? {
        let text = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.flatMap { pid_t($0) }
    }
}
