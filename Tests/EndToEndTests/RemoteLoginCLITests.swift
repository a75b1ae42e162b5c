import Foundation
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `login` when the browser is elsewhere or misbehaves, as a process: paste-back on stdin,
/// $BROWSER honoured or failing, Ctrl-C and SIGTERM, the wait's timeout.
@Suite struct RemoteLoginCLITests {
    static let devLogin = ["login", "--dev", "--redirect-uri", "http://127.0.0.1:0/callback"]
    static let authorizeLine = #"\n  (http://127\.0\.0\.1:[0-9]+/v2/oauth/authorize\?\S+)"#
    static let startLine = #"Open (http://127\.0\.0\.1:[0-9]+/\?key=[A-Za-z0-9_-]+) to sign in"#

    @Test func pastedURLOnStdinSignsInAfterAStaleOneIsRefused() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(Self.devLogin + ["--no-browser", "--paste"], environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        let authorize = try await login.waitForStderr(Self.authorizeLine)
        let back = try await DevApproval.redirect(authorize: authorize)
        #expect(!back.contains("127.0.0.1:0/"), "the redirect names the bound port")
        try login.type(back.replacingOccurrences(of: "state=", with: "state=stale") + "\n")
        _ = try await login.waitForStderr("belongs to another sign-in")
        try login.type("\r\n" + back + "\r\n")
        #expect(try await login.wait() == 0, "\(login.stderr)")
        #expect(login.stderr.contains("✓ Signed in as pdsuser"))
        #expect(try CredentialStore(directory: home.path).profile("dev") != nil)
    }

    @Test func pastedBareCodeOnStdinSignsIn() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(Self.devLogin + ["--no-browser", "--paste"], environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        let back = try await DevApproval.redirect(authorize: try await login.waitForStderr(Self.authorizeLine))
        let code = try #require(URLComponents(string: back)?.queryItems?.first { $0.name == "code" }?.value)
        try login.type(code + "\n")
        #expect(try await login.wait() == 0, "\(login.stderr)")
    }

    @Test func withoutATerminalOrPasteStdinIsNotRead() async throws {
        let login = CLIProcess(Self.devLogin + ["--no-browser", "--timeout", "2"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        try login.start()
        _ = try await login.waitForStderr(Self.startLine)
        #expect(!login.stderr.contains("Browser on another machine?") && !login.stderr.contains("Paste the address"), "no paste-back offered")
        // On a busy machine the 2 s may be over already; a write to an exited child's stdin
        // fails (EPIPE), which proves the same thing.
        try? login.type("some-code\n")
        #expect(try await login.wait() == 12, "the pasted line was ignored and the wait timed out: \(login.stderr)")
        #expect(login.stderr.contains("No sign-in arrived within 2 s"))
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalDuringTheWaitExitsCleanlyAndKeepsCredentials(signal: Int32, status: Int32) async throws {
        let home = TemporaryDirectory()
        let earlier = try StoredProfile.fixture(
            endpoint: "http://127.0.0.1:1", redirectURI: "http://127.0.0.1:8765/callback",
            accessToken: "earlier-token", refreshToken: "earlier-refresh",
            expiresAt: Date(timeIntervalSince1970: 2_000_000_000), obtainedAt: Date(timeIntervalSince1970: 1_000_000_000))
        try await CredentialStore(directory: home.path).save(earlier, as: "dev")
        let before = try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json"))
        let login = CLIProcess(Self.devLogin + ["--no-browser"], environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        let startURL = try await login.waitForStderr(Self.startLine)
        login.signal(signal)
        #expect(try await login.wait() == status, "\(login.stderr)")
        #expect(login.stderr.contains("Interrupted; nothing was saved"))
        #expect(!login.stderr.contains("Stack dump") && !login.stderr.contains("Fatal error"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.path + "/credentials.json")) == before)
        await #expect(throws: (any Error).self, "the listener is gone") { try await ScriptedBrowser().get(startURL) }
    }

    @Test func failingBrowserFallsBackToThePrintedAddress() async throws {
        let home = TemporaryDirectory()
        // Nothing on PATH either, so no xdg-open from the machine can step in.
        let login = CLIProcess(Self.devLogin, environment: ["PDS_AUTH_HOME": home.path, "BROWSER": "/bin/false", "PATH": home.path])
        try login.start()
        let startURL = try await login.waitForStderr(Self.startLine)
        _ = try await login.waitForStderr("could not open a browser")
        try await DevApproval.approve(startURL: startURL)
        #expect(try await login.wait() == 0, "\(login.stderr)")
    }

    @Test func browserVariableIsHonoured() async throws {
        let home = TemporaryDirectory()
        let opened = home.path + "/opened"
        let script = home.path + "/browser"
        try "#!/bin/sh\nprintf '%s' \"$1\" > \(opened)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o700)
        let login = CLIProcess(Self.devLogin, environment: ["PDS_AUTH_HOME": home.path, "BROWSER": script, "PATH": home.path])
        try login.start()
        let startURL = try await login.waitForStderr(Self.startLine)
        let url = try await waitForValue { (try? String(contentsOfFile: opened, encoding: .utf8)).flatMap { $0.isEmpty ? nil : $0 } } ?? ""
        // The start page's key must not appear on any command line (other local users can read
        // them): the browser gets a private file that forwards to the start page.
        #expect(url.hasPrefix("file:///") && url.hasSuffix("/sign-in.html") && !url.contains("key="), "\(url)")
        let file = String(url.dropFirst("file://".count))
        #expect(fileMode(file) == 0o600 && fileMode(URL(fileURLWithPath: file).deletingLastPathComponent().path) == 0o700)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains(startURL.replacingOccurrences(of: "&", with: "&amp;")))
        try await DevApproval.approve(startURL: startURL)
        #expect(try await login.wait() == 0, "\(login.stderr)")
        #expect(!login.stderr.contains("could not open a browser"))
        #expect(!FileManager.default.fileExists(atPath: String(url.dropFirst("file://".count))), "removed when the sign-in ends")
    }

    @Test func sshSessionsGetThePortForwardCommand() async throws {
        let login = CLIProcess(
            ["login", "--dev", "--no-browser", "--timeout", "1", "--redirect-uri", "http://localhost:0/callback"],
            environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "SSH_CONNECTION": "10.1.1.2 50000 10.1.1.9 22", "USER": "ops"])
        try login.start()
        #expect(try await login.wait() == 12)
        let port = try #require(login.stderr.firstMatch(of: /Open http:\/\/localhost:([0-9]+)\/\?key=/)?.1)
        #expect(login.stderr.contains("ssh -N -L \(port):127.0.0.1:\(port) ops@10.1.1.9"), "\(login.stderr)")
    }

    @Test func theFirstFreeOfSeveralRedirectURIsIsUsedAndAllBusyExitsFour() async throws {
        do {
            let busy = try #require(HeldPort(host: "127.0.0.1"))
            let taken = "http://127.0.0.1:\(busy.port)/callback"
            let home = TemporaryDirectory()
            let login = CLIProcess(
                ["login", "--dev", "--no-browser", "--redirect-uri", taken, "--redirect-uri", "http://127.0.0.1:0/callback"],
                environment: ["PDS_AUTH_HOME": home.path])
            try login.start()
            let startURL = try await login.waitForStderr(Self.startLine)
            #expect(!startURL.contains(":\(busy.port)/"))
            try await DevApproval.approve(startURL: startURL)
            #expect(try await login.wait() == 0, "\(login.stderr)")

            let refused = try await CLIProcess.run(
                ["login", "--dev", "--no-browser", "--redirect-uri", taken, "--redirect-uri", taken],
                environment: ["PDS_AUTH_HOME": home.path])
            #expect(refused.status == 4, "\(refused.stderr)")
            #expect(refused.stderr.contains("None of the 2 redirect URIs could be served (ports \(busy.port), \(busy.port))"))
            #expect(refused.stderr.contains("registered on the app"))
        }
    }

    @Test func quietKeepsOnlyWhatMustBeActedOnAndJSONGoesToStdout() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(Self.devLogin + ["--no-browser", "--paste", "--quiet", "--json"], environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        let back = try await DevApproval.redirect(authorize: try await login.waitForStderr(Self.authorizeLine))
        _ = try await login.waitForStderr("Paste the address")
        try login.type(back + "\n")
        #expect(try await login.wait() == 0, "\(login.stderr)")
        #expect(login.stderr.contains("Open http://127.0.0.1:"), "where to sign in is never suppressed")
        for chatter in ["PDS dev server", "Waiting", "Signed in", "Exchanging"] {
            #expect(!login.stderr.contains(chatter), "\(chatter) under --quiet")
        }
        let json = try JSONSerialization.jsonObject(with: Data(login.stdout.utf8)) as? [String: Any]
        #expect(json?["profile"] as? String == "dev")
    }

    @Test func withoutATerminalTheWaitIsNarratedInPlainLines() async throws {
        let login = CLIProcess(Self.devLogin + ["--no-browser", "--timeout", "62"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        try login.start()
        _ = try await login.waitForStderr(Self.startLine)
        // 62 s: the first whole minute runs out after 2 s.
        _ = try await login.waitForStderr(#"Still waiting for the browser \([0-9]+ s left\)…"#, timeout: .seconds(20))
        #expect(!login.stderr.contains("\u{1B}"), "no escape sequences without a terminal")
        login.signal(SIGINT)
        #expect(try await login.wait() == 130)
    }
}

/// `localhost` on a machine without IPv6 at all: served on 127.0.0.1 alone, and said so.
/// The machine is a fresh network namespace whose loopback has IPv6 disabled.
@Suite struct NoIPv6Tests {
    static var canMakeNamespaces: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
    }

    @Test(.enabled(if: canMakeNamespaces, "needs root, unshare and ip (CI runs as root)"))
    func localhostWithoutIPv6IsServedOnIPv4AndSaysSo() async throws {
        let script = """
            ip link set lo up && sysctl -q -w net.ipv6.conf.lo.disable_ipv6=1 && \
            exec "$0" login --dev --no-browser --redirect-uri http://localhost:0/callback --timeout 2
            """
        let result = try await ChildTool.run(
            "/usr/bin/unshare", ["-n", "/bin/sh", "-c", script, CLIProcess.binary()],
            environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        #expect(result.status == 12, "it listened and waited: \(result.output)")
        #expect(result.output.contains("no IPv6 loopback address, so localhost is served on 127.0.0.1 only"), "\(result.output)")
        #expect(result.output.contains("Open http://localhost:"))
    }
}
