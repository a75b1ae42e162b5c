import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSShared
import Testing

/// What `status` prints of names and claims that came from a server (or a hand-edited file):
/// nothing a terminal acts on, numbers as written.
@Suite struct StatusOutputTests {
    /// A profile whose user name and token claims carry a bidi override (U+202E), a C1 CSI
    /// (U+009B) and an integer beyond 64 bits.
    static func hostileHome() async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        let claims = #"{"name":"ev\u202Eil\u009B2J","big":123456789012345678901234,"exp":4102444800}"#
        let token = "e30." + Base64URL.encode(Array(claims.utf8)) + ".c2ln"
        var profile = try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: token, refreshToken: nil)
        profile.user = StoredUser(
            userID: "u\u{202E}1", userName: "mal\u{202E}lory\u{9B}31m", nickName: nil, domainID: nil, defaultDriveID: nil, role: nil)
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        return home
    }

    /// Runs pds-auth with its stdout on a pseudo-terminal (Python's pty module) and returns
    /// the bytes it wrote there.
    static func onTerminal(_ arguments: [String], home: TemporaryDirectory) async throws -> String {
        let script = "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"
        return try await ChildTool.run(
            "/usr/bin/python3", ["-c", script, CLIProcess.binary()] + arguments,
            environment: ["PDS_AUTH_HOME": home.path, "NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        ).output
    }

    static let unshowable: [Unicode.Scalar] = ["\u{202E}", "\u{9B}", "\u{1B}"]

    @Test func jsonOnATerminalEscapesBidiAndC1Characters() async throws {
        let home = try await Self.hostileHome()
        let shown = try await Self.onTerminal(["status", "--json"], home: home)
        #expect(!shown.unicodeScalars.contains { Self.unshowable.contains($0) }, "\(shown.debugDescription)")
        #expect(shown.contains(#"mal\u202elory\u009b31m"#) && shown.contains(#"ev\u202eil\u009b2J"#), "\(shown)")
        #expect(shown.contains("123456789012345678901234"), "a big integer as written: \(shown)")
        // The same JSON value: what a program reads is unchanged.
        let piped = try await InProcessCLI.run(["status", "--json"], environment: ["PDS_AUTH_HOME": home.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(piped.stdout.utf8)) as? [String: Any])
        let row = try #require((object["profiles"] as? [[String: Any]])?.first)
        #expect(row["user"] as? String == "mal\u{202E}lory\u{9B}31m")
        #expect(piped.stdout.contains("\"big\":123456789012345678901234"), "\(piped.stdout)")
    }

    @Test func theHumanViewStripsThemAndKeepsBigIntegers() async throws {
        let home = try await Self.hostileHome()
        let shown = try await Self.onTerminal(["status", "--claims"], home: home)
        #expect(!shown.unicodeScalars.contains { Self.unshowable.contains($0) }, "\(shown.debugDescription)")
        #expect(shown.contains("big: 123456789012345678901234"), "\(shown)")
    }

    /// A token server decides what a JWT's claims hold. Claims nested deep enough that the
    /// JSON written back passes the encoder's nesting limit crashed `status --json` with a
    /// Swift fatal error (SIGILL), on a terminal and in a pipe alike; 505 levels passed.
    @Test(arguments: [505, 509, 511])
    func deeplyNestedClaimsNeverCrashStatus(depth: Int) async throws {
        let home = TemporaryDirectory()
        let claims = #"{"sub":"u","deep":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let token = "e30." + Base64URL.encode(Array(claims.utf8)) + ".c2ln"
        let profile = try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: token, refreshToken: nil)
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        for arguments in [["status", "--json"], ["status"]] {
            let result = try await InProcessCLI.run(arguments, environment: ["PDS_AUTH_HOME": home.path])
            #expect(
                result.status == 0 && !result.stderr.contains("Fatal error"),
                "\(arguments), depth \(depth): \(result.status) \(result.stderr.prefix(300))")
        }
    }

    /// A hand-edited (or corrupted) file with a member nested 511 levels deep decoded, but
    /// could not be written back: every save (`switch`, `refresh`, `logout`) died of a Swift
    /// fatal error. It is refused as unreadable instead, and left as it is.
    @Test func aDeeplyNestedMemberIsRefusedNotACrash() async throws {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        try await store.save(try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: "a", refreshToken: nil), as: "p")
        var text = try String(contentsOfFile: store.filePath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        text.removeLast()
        text += #","deep":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}\n"
        try text.write(toFile: store.filePath, atomically: false, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        let result = try await InProcessCLI.run(["switch", "p"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(result.status == 11 && !result.stderr.contains("Fatal error"), "\(result.status) \(result.stderr.prefix(300))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
    }

    /// The same for a relative `HOME` when `PDS_AUTH_HOME` is not set (a relative
    /// `XDG_CONFIG_HOME` is ignored, as the XDG spec says, and `HOME` decides).
    @Test func aRelativeHOMEIsRefused() async throws {
        for environment in [["HOME": "relative-home"], ["HOME": "relative-home", "XDG_CONFIG_HOME": "relative-config"]] {
            let result = try await InProcessCLI.run(["status"], environment: environment)
            #expect(result.status == 3 && result.stderr.contains("HOME must be an absolute path"), "\(environment): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "/relative-home"))
    }

    /// A relative `PDS_AUTH_HOME` would make where credentials live depend on the directory
    /// a command runs in: refused (exit 3), and nothing is created anywhere.
    @Test(arguments: [["status"], ["token"], ["login", "--dev", "--no-browser", "--timeout", "1"]])
    func aRelativeHomeIsRefused(command: [String]) async throws {
        let result = try await InProcessCLI.run(command, environment: ["PDS_AUTH_HOME": "relative/creds"])
        #expect(result.status == 3 && result.stderr.contains("PDS_AUTH_HOME must be an absolute path"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "/relative"))
    }

    /// The owner check as an ordinary user would meet it (not only as root): uid 65534 is
    /// shown a credentials file that root owns and lets everyone read, and refuses it.
    @Test(.enabled(if: getuid() == 0, "needs root to act as another user (uid 65534)"))
    func aFileOfAnotherUserIsRefusedByAnOrdinaryUser() async throws {
        let home = TemporaryDirectory()
        let profile = try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: "a-valid-token", refreshToken: nil)
        let store = CredentialStore(directory: home.path)
        try await store.save(profile, as: "p")
        chmod(store.filePath, 0o644)
        chown(home.path, 65534, 65534)
        for command in [["status"], ["token"]] {
            let result = try await ChildTool.run(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CLIProcess.binary()] + command,
                environment: ["PDS_AUTH_HOME": home.path, "PATH": "/usr/bin:/bin"])
            #expect(result.status == 11 && result.output.contains("belongs to another user (uid 0)"), "\(command): \(result.output)")
        }
    }
}
