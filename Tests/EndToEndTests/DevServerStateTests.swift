import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

/// Issue 17: after `make dev` (`login --dev`, whose in-process dev server stops with it) the
/// saved profile is not a dead end. The error says exactly which command starts the dev
/// server again; that server keeps its keys, client secrets and issued tokens in a state
/// directory, so it honours the profile's access and refresh tokens, across restarts too.
@Suite struct DevServerStateTests {
    /// - Parameter devPort: where `login --dev`'s own dev server listens. A test that expects
    /// nothing there once it stopped passes one below the ephemeral range: a port-0 server of
    /// another test could otherwise be given the same port and answer in its place.
    static func signIn(
        _ environment: [String: String], redirect: String = "http://127.0.0.1:0/callback", devPort: Int = 0
    ) async throws -> CLIProcess {
        let login = CLIProcess(
            ["login", "--dev", "--no-browser", "--dev-port", String(devPort), "--redirect-uri", redirect], environment: environment)
        try login.start()
        try await DevApproval.approve(startURL: try await login.waitForStderr(RemoteLoginCLITests.startLine))
        #expect(try await login.wait() == 0, "\(login.stderr)")
        return login
    }

    /// Starts `command` (as printed, `pds-auth dev-server …`) and returns it once it listens.
    static func start(_ command: String, _ environment: [String: String]) async throws -> CLIProcess {
        let words = command.split(separator: " ").dropFirst().map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        let server = CLIProcess(words, environment: environment)
        try server.start()
        _ = try await server.waitForStderr(#"at (http://127\.0\.0\.1:[0-9]+)"#)
        return server
    }

    @Test func aProfileFromLoginDevWorksAgainstTheDevServerItNames() async throws {
        let home = TemporaryDirectory()
        let environment = ["PDS_AUTH_HOME": home.path]
        let login = try await Self.signIn(environment, devPort: TestPorts.belowEphemeralRange())
        #expect(login.stderr.contains("start it again with `pds-auth dev-server --port "), "\(login.stderr)")
        #expect(fileMode(home.path + "/dev-server") == 0o700 && fileMode(home.path + "/dev-server/state.json") == 0o600)

        let stopped = try await InProcessCLI.run(["api", "/v2/user/get"], environment: environment)
        #expect(stopped.status == 9, "\(stopped.stderr)")
        let command = try #require(stopped.stderr.firstMatch(of: /start it again with `(pds-auth dev-server[^`]*)`/)?.output.1, "\(stopped.stderr)")
        #expect(!stopped.stderr.contains("--endpoint"), "no flag the command lacks: \(stopped.stderr)")

        var server = try await Self.start(String(command), environment)
        let user = try await InProcessCLI.run(["api", "/v2/user/get"], environment: environment)
        #expect(
            user.status == 0 && user.stdout.contains("\"user_name\":\"pdsuser\""), "the access token it issued before is honoured: \(user.stderr)")
        let refreshed = try await InProcessCLI.run(["refresh"], environment: environment)
        #expect(refreshed.status == 0, "and the refresh token: \(refreshed.stderr)")

        // A second instance on the same state directory is refused; the first keeps it.
        let second = try await InProcessCLI.run(["dev-server", "--port", "0"], environment: environment)
        #expect(second.status == 4 && second.stderr.contains("Another dev server"), "\(second.stderr)")

        server.signal(SIGTERM)
        _ = try await server.wait()
        server = try await Self.start(String(command), environment)
        defer { server.kill() }
        let again = try await InProcessCLI.run(["refresh"], environment: environment)
        #expect(again.status == 0, "the rotated refresh token survived a restart: \(again.stderr)")
        let verify = try await InProcessCLI.run(["status", "--verify"], environment: environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// While `pds-auth dev-server` runs with the default state directory, `login --dev` signs
    /// in to it (no second server, no second set of secrets).
    @Test func loginDevUsesTheRunningDevServer() async throws {
        let home = TemporaryDirectory()
        let environment = ["PDS_AUTH_HOME": home.path]
        // The standalone server matches redirect URIs exactly, as PDS does: register one port.
        let port = try #require(HeldPort(host: "127.0.0.1")).port
        let redirect = "http://127.0.0.1:\(port)/callback"
        let server = try await Self.start("pds-auth dev-server --port 0 --redirect-uri \(redirect)", environment)
        defer { server.kill() }
        let base = try await server.waitForStderr(#"at (http://127\.0\.0\.1:[0-9]+)"#)
        let login = try await Self.signIn(environment, redirect: redirect)
        #expect(login.stderr.contains("already running at \(base)"), "\(login.stderr)")
        #expect(try CredentialStore(directory: home.path).profile("dev")?.endpoints.base.absoluteString == base)
    }
}

/// The state directory holds development secrets: kept as carefully as real ones.
@Suite struct DevServerStateDirectoryTests {
    @Test(.enabled(if: getuid() == 0, "needs root to give the directory to another user"))
    func aStateDirectoryOfAnotherUserIsRefused() async throws {
        let home = TemporaryDirectory()
        let theirs = home.file("theirs")
        mkdir(theirs, 0o700)
        chown(theirs, 65534, 65534)
        let result = try await InProcessCLI.run(["dev-server", "--port", "0", "--state-dir", theirs], environment: [:])
        #expect(result.status == 3 && result.stderr.contains("not a directory of this user"), "\(result.stderr)")
    }

    @Test func aLinkedOrDamagedStateIsRefusedNotFollowed() async throws {
        let home = TemporaryDirectory()
        let state = home.file("state")
        mkdir(state, 0o700)
        FileManager.default.createFile(atPath: home.file("elsewhere.json"), contents: Data("{}".utf8))
        symlink(home.file("elsewhere.json"), state + "/state.json")
        let linked = try await InProcessCLI.run(["dev-server", "--port", "0", "--state-dir", state], environment: [:])
        #expect(linked.status != 0, "\(linked.stderr)")
        #expect(try String(contentsOfFile: home.file("elsewhere.json"), encoding: .utf8) == "{}", "the link's target untouched")
        unlink(state + "/state.json")
        FileManager.default.createFile(atPath: state + "/state.json", contents: Data("not json".utf8))
        let damaged = try await InProcessCLI.run(["dev-server", "--port", "0", "--state-dir", state], environment: [:])
        #expect(damaged.status == 3 && damaged.stderr.contains("move it aside"), "\(damaged.stderr)")
        #expect(try String(contentsOfFile: state + "/state.json", encoding: .utf8) == "not json", "never overwritten")
    }

    /// A state directory open to others is narrowed to 0700 when it holds nothing but the
    /// server's own files; a shared one (sticky, like `/tmp`, or holding other files, like a
    /// home) is refused with its mode left alone: narrowing it would lock its other users out.
    @Test func aSharedDirectoryIsRefusedNotNarrowed() async throws {
        let home = TemporaryDirectory()
        let sticky = home.file("sticky")
        let holding = home.file("holding")
        let open = home.file("open")
        for directory in [sticky, holding, open] { mkdir(directory, 0o700) }
        chmod(sticky, 0o1777)
        chmod(holding, 0o755)
        FileManager.default.createFile(atPath: holding + "/notes.txt", contents: Data("mine".utf8))
        chmod(open, 0o755)
        for (directory, mode) in [(sticky, 0o1777), (holding, 0o755)] {
            // Bounded: a server that took the directory would run until killed.
            let server = CLIProcess(["dev-server", "--port", "0", "--state-dir", directory], environment: [:])
            try server.start()
            let status = try? await server.wait(timeout: .seconds(15))
            #expect(status == 3 && server.stderr.contains("shared"), "\(server.stderr)")
            var info = stat()
            stat(directory, &info)
            #expect(info.st_mode & 0o7777 == mode, "\(directory): mode left alone")
            #expect(!FileManager.default.fileExists(atPath: directory + "/state.json"))
        }
        let server = try await DevServerStateTests.start("pds-auth dev-server --port 0 --state-dir \(open)", [:])
        server.signal(SIGTERM)
        _ = try await server.wait()
        #expect(fileMode(open) == 0o700, "a directory holding nothing else is narrowed")
    }

    /// `state.lock` replaced by a symbolic link: not followed (nothing created where it points).
    @Test func aLinkedLockIsNotFollowed() async throws {
        let home = TemporaryDirectory()
        let state = home.file("state")
        mkdir(state, 0o700)
        symlink(home.file("planted"), state + "/state.lock")
        let result = try await InProcessCLI.run(["dev-server", "--port", "0", "--state-dir", state], environment: [:])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.file("planted")), "the link's target was never created")
    }

    /// Whoever owns a parent can rename the state directory and put a link to another
    /// directory in its place while the server runs: the server keeps writing to the
    /// directory it opened and checked, never where the link points.
    @Test func aDirectorySwappedForALinkWhileTheServerRunsTakesNothingElsewhere() async throws {
        let home = TemporaryDirectory()
        let parent = home.file("parent")
        let victim = home.file("victim")
        mkdir(parent, 0o755)
        mkdir(victim, 0o700)
        let redirect = "http://127.0.0.1:\(try #require(HeldPort(host: "127.0.0.1")).port)/callback"
        let server = try await DevServerStateTests.start("pds-auth dev-server --port 0 --redirect-uri \(redirect) --state-dir \(parent)/state", [:])
        defer { server.kill() }
        let base = try await server.waitForStderr(#"at (http://127\.0\.0\.1:[0-9]+)"#)
        rename(parent + "/state", parent + "/moved")
        symlink(victim, parent + "/state")
        // A sign-in makes the server record the tokens it issued.
        let login = CLIProcess(
            [
                "login", "--no-browser", "--endpoint", base, "--domain-id", "dev", "--client-id", "pds-auth-native", "--public-client",
                "--redirect-uri", redirect,
            ], environment: ["PDS_AUTH_HOME": home.file("credentials")])
        try login.start()
        try await DevApproval.approve(startURL: try await login.waitForStderr(RemoteLoginCLITests.startLine))
        #expect(try await login.wait() == 0, "\(login.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty, "nothing written through the link")
        let kept = try String(contentsOfFile: parent + "/moved/state.json", encoding: .utf8)
        #expect(kept.contains("pds-auth-native"), "the tokens recorded where the server's directory is now")
    }

    /// A dev server killed with SIGKILL leaves `server.json` behind; no one holds the lock, so
    /// `login --dev` does not trust the note (it runs a server of its own).
    @Test func aNoteLeftByAKilledServerIsNotTrusted() async throws {
        let home = TemporaryDirectory()
        let environment = ["PDS_AUTH_HOME": home.path]
        let server = try await DevServerStateTests.start("pds-auth dev-server --port 0", environment)
        server.kill()
        _ = try await server.wait()
        #expect(FileManager.default.fileExists(atPath: home.path + "/dev-server/server.json"), "the killed server's note is still there")
        let login = CLIProcess(
            ["login", "--dev", "--no-browser", "--dev-port", "0", "--redirect-uri", "http://127.0.0.1:0/callback"],
            environment: environment)
        try login.start()
        defer { login.kill() }
        _ = try await login.waitForStderr(RemoteLoginCLITests.startLine)
        #expect(!login.stderr.contains("already running"), "\(login.stderr)")
    }

    /// A hand-edited profile's dev-server directory is shown only as text that is safe for a
    /// terminal.
    @Test func aHandEditedStateDirectoryIsShownSafely() async throws {
        let home = TemporaryDirectory()
        var profile = try StoredProfile.fixture(endpoint: "http://127.0.0.1:9", domainID: nil, accessToken: "a-valid-token", refreshToken: nil)
        profile.devServer = "/tmp/x\u{1B}]0;owned\u{07}y"
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        let result = try await InProcessCLI.run(["api", "/v2/user/get"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(
            result.status == 9 && result.stderr.contains("start it again") && !result.stderr.contains("\u{1B}"), "\(result.stderr.debugDescription)")
    }
}
