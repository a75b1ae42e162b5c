import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `login` in a real pseudo-terminal (tmux): the live line counting down, colour only when
/// allowed, paste-back typed at the prompt, Ctrl-C.
@Suite struct TerminalTests {
    static var enabled: Bool { Tmux.available || ProcessInfo.processInfo.environment["CI"] != nil }

    static func login(_ home: TemporaryDirectory, extra: [String: String] = [:]) -> ([String], [String: String]) {
        (
            [CLIProcess.binary(), "login", "--dev", "--no-browser", "--timeout", "80", "--redirect-uri", "http://127.0.0.1:0/callback"],
            ["PDS_AUTH_HOME": home.path, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"].merging(extra) { _, new in new }
        )
    }

    @Test(.enabled(if: enabled, "needs tmux (make test installs it)"))
    func liveLineCountsDownAndAPastedAddressSignsIn() async throws {
        let home = TemporaryDirectory()
        let (argv, environment) = Self.login(home)
        try await Tmux.with(home) { tmux in
            try await tmux.start(argv, environment: environment)
            let first = try #require(Int(try await tmux.waitFor(#"([0-9]+) s left"#)))
            _ = try await tmux.waitFor("Paste the address \\(or the code\\): ")
            #expect(try await tmux.screen().contains("Waiting for the browser or a pasted address"))
            #expect(try await tmux.screen(escapes: true).contains("\u{1B}[2m"), "dim colour on a terminal")
            var later = first
            try await waitUntil(polling: .milliseconds(100)) {
                later = Int(try await tmux.waitFor(#"([0-9]+) s left"#)) ?? first
                return later < first
            }
            #expect(later < first, "the line counts down in place (\(first) → \(later))")
            #expect(try await tmux.screen().components(separatedBy: "s left").count == 2, "one live line, redrawn, not a new line each second")

            let authorize = try await tmux.waitFor(#"(http://127\.0\.0\.1:[0-9]+/v2/oauth/authorize\?\S+)"#)
            let back = try await DevApproval.redirect(authorize: authorize)
            try await tmux.type(back)
            try await tmux.press("Enter")
            let status = try await tmux.exitStatus()
            let shown = (try? await tmux.screen()) ?? ""
            #expect(status == 0, "\(shown)")
            #expect(try await tmux.screen().contains("✓ Signed in as pdsuser"))
        }
    }

    @Test(.enabled(if: enabled, "needs tmux (make test installs it)"))
    func noColourWithNO_COLORAndCtrlCExits130() async throws {
        let home = TemporaryDirectory()
        let (argv, environment) = Self.login(home, extra: ["NO_COLOR": "1"])
        try await Tmux.with(home) { tmux in
            try await tmux.start(argv, environment: environment)
            _ = try await tmux.waitFor("Paste the address \\(or the code\\): ")
            let painted = try await tmux.screen(escapes: true)
            #expect(!painted.contains("\u{1B}[2m") && !painted.contains("\u{1B}[3"), "no colour with NO_COLOR")
            try await tmux.type("half-typed")
            try await tmux.press("C-c")
            let status = try await tmux.exitStatus()
            let shown = (try? await tmux.screen()) ?? ""
            #expect(status == 130, "\(shown)")
            let screen = try await tmux.screen()
            #expect(screen.contains("Interrupted; nothing was saved") && !screen.contains("Stack dump"))
            #expect(!screen.contains("s left") && !screen.contains("Paste the address"), "the live line and prompt are cleared")
            #expect(!FileManager.default.fileExists(atPath: home.path + "/credentials.json"))
        }
    }

    /// Ctrl-C at a terminal reaches every process of the foreground group, `exec`'s program
    /// included: pds-auth does not pass it on a second time.
    @Test(.enabled(if: enabled, "needs tmux (make test installs it)"))
    func ctrlCReachesAnExecProgramOnce() async throws {
        try await DevSession.with { session in
            let home = TemporaryDirectory()
            let script =
                #"n=0; trap 'n=$((n+1)); echo "interrupts: $n"' INT; echo ready; i=0; while [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; exit 3"#
            try await Tmux.with(home) { tmux in
                try await tmux.start(
                    [CLIProcess.binary(), "exec", "--", "/bin/sh", "-c", script],
                    environment: session.environment.merging(["TERM": "xterm-256color", "PATH": "/usr/bin:/bin"]) { _, new in new })
                _ = try await tmux.waitFor("ready")
                try await tmux.press("C-c")
                #expect(try await tmux.exitStatus() == 3)
                let screen = try await tmux.screen()
                #expect(screen.contains("interrupts: 1") && !screen.contains("interrupts: 2"), "\(screen)")
            }
        }
    }

    /// Ctrl-C at the hidden client-secret prompt ends login with the terminal's echo back on:
    /// the shell would otherwise keep a terminal that shows nothing typed.
    @Test(.enabled(if: enabled, "needs tmux (make test installs it)"))
    func ctrlCAtTheSecretPromptLeavesEchoOn() async throws {
        let home = TemporaryDirectory()
        let argv = [
            CLIProcess.binary(), "login", "--no-browser", "--no-preflight", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev", "--client-id",
            "c",
        ]
        let stty = home.path + "/stty"
        try await Tmux.with(home) { tmux in
            try await tmux.start(
                argv, environment: ["PDS_AUTH_HOME": home.path, "TERM": "xterm-256color", "PATH": "/usr/bin:/bin"],
                afterwards: "stty -a > \(Tmux.quote(stty))")
            _ = try await tmux.waitFor("Client secret \\(empty for a Native app without one\\): ")
            try await tmux.type("half-typed")
            // One Ctrl-C ends it at once (it used to wait out the 5 s unwinding limit and die
            // silently): the usual line, and 130.
            let pressed = ContinuousClock.now
            try await tmux.press("C-c")
            let status = try await tmux.exitStatus()
            let elapsed = ContinuousClock.now - pressed
            let shown = (try? await tmux.screen()) ?? ""
            #expect(status == 130, "\(shown)")
            #expect(elapsed < .seconds(2), "\(elapsed)")
            #expect(shown.contains("error: Interrupted; nothing was saved"), "\(shown)")
            let modes = try String(contentsOfFile: stty, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
            #expect(modes.contains("echo") && !modes.contains("-echo"), "\(modes)")
        }
    }

    /// Issue 17: a Native app has no secret, so an interactive `login --public-client` never
    /// stops at the secret prompt, and the profile remembers it for the next sign-in; a
    /// profile that is not a public client still gets the prompt.
    @Test(.enabled(if: enabled, "needs tmux (make test installs it)"))
    func aPublicClientIsNeverAskedForASecret() async throws {
        let home = TemporaryDirectory()
        var remembered = try StoredProfile.fixture(endpoint: "http://127.0.0.1:9", accessToken: "old-token")
        remembered.publicClient = true
        let store = CredentialStore(directory: home.path)
        try await store.save(remembered, as: "native")
        try await store.save(try StoredProfile.fixture(endpoint: "http://127.0.0.1:9", accessToken: "old-token"), as: "webserver")
        let base = [
            CLIProcess.binary(), "login", "--no-browser", "--no-preflight", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev", "--client-id",
            "c",
            "--redirect-uri", "http://127.0.0.1:0/callback",
        ]
        let environment = ["PDS_AUTH_HOME": home.path, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        for (extra, prompted) in [
            (["--public-client", "--profile", "new"], false), (["--profile", "native"], false), (["--profile", "webserver"], true),
        ] {
            try await Tmux.with(home) { tmux in
                try await tmux.start(base + extra, environment: environment)
                let seen = try await tmux.waitFor(#"(Client secret \(empty|Open http://127)"#)
                let screen = (try? await tmux.screen()) ?? ""
                #expect(seen.hasPrefix("Client secret") == prompted, "\(extra): \(screen)")
                try await tmux.press("C-c")
                _ = try await tmux.exitStatus()
            }
        }
    }
}
