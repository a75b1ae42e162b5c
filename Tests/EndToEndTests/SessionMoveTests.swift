import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth import` / `export`: a session moves, sealed, from one PDS_AUTH_HOME to another,
/// keeps working there against a server that rotates refresh tokens, and is gone here.
@Suite struct SessionMoveTests {
    /// A waiting import in `home`: the process and the recipient key it printed.
    static func startImport(_ home: String, _ extra: [String] = [], environment: [String: String] = [:]) async throws -> (CLIProcess, String) {
        let process = CLIProcess(
            ["import", "--profile", "moved"] + extra, environment: ["PDS_AUTH_HOME": home].merging(environment) { _, new in new })
        try process.start()
        let output = try await process.waitForStdout("\n")
        let key = try #require(output.split(separator: "\n").first.map(String.init))
        #expect(key.hasPrefix("pds-auth-recipient-1:") && output.split(separator: "\n").count == 1, "one line, the key: \(output)")
        return (process, key)
    }

    @Test func aSessionMovesAndKeepsRefreshingWhileTheOldHomeLosesIt() async throws {
        try await DevSession.with { session in
            let before = try #require(try session.store.profile("default"))
            let target = TemporaryDirectory()
            let (importing, key) = try await Self.startImport(target.path)
            let export = try await InProcessCLI.run(["export", "--profile", "default", "--to", key], environment: session.environment)
            #expect(export.status == 0, "\(export.stderr)")
            let sealed = export.stdout.trimmingCharacters(in: .newlines)
            #expect(sealed.hasPrefix("pds-auth-session-1:") && !sealed.contains("\n"), "one line")
            #expect(try session.store.load().names.isEmpty, "the session is gone from the old home")
            try importing.type(sealed + "\n")
            #expect(try await importing.wait() == 0, "\(importing.stderr)")
            #expect(importing.stderr.contains("Imported profile \"moved\""), "\(importing.stderr)")
            // No secret on either terminal (or in argv: only the public recipient key is there).
            for secret in [before.accessToken, before.refreshToken!, before.clientSecret!] {
                for text in [export.stdout, export.stderr, importing.stdout, importing.stderr, key] { #expect(!text.contains(secret)) }
            }
            let moved = try #require(try CredentialStore(directory: target.path).profile("moved"))
            #expect(moved.refreshToken == before.refreshToken && moved.clientSecret == before.clientSecret && moved.endpoints == before.endpoints)
            #expect(try CredentialStore(directory: target.path).load().current == "moved")
            let token = try await InProcessCLI.run(["token", "--min-valid", "86400"], environment: ["PDS_AUTH_HOME": target.path])
            #expect(token.status == 0 && token.stdout != before.accessToken + "\n", "\(token.stderr)")
            #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1, "it refreshed against the rotating server")
            #expect(try CredentialStore(directory: target.path).profile("moved")?.refreshToken != before.refreshToken)
        }
    }

    /// Anything but the line sealed for this import's key: refused, exit 16, nothing saved.
    @Test(arguments: ["another recipient", "truncated", "altered", "not a seal"])
    func aBadSealIsRefusedAndNothingSaved(_ kind: String) async throws {
        try await DevSession.with { session in
            let target = TemporaryDirectory()
            let (importing, key) = try await Self.startImport(target.path)
            let recipient = kind == "another recipient" ? SessionReceiver().recipient.text : key
            let export = try await InProcessCLI.run(["export", "--to", recipient, "--keep"], environment: session.environment)
            // PDS refuses --keep: the profile stays, nothing is printed, exit 2.
            #expect(export.status == 2 && export.stdout.isEmpty && export.stderr.contains("rotate"), "\(export.stderr)")
            let profile = try #require(try session.store.profile("default"))
            let line = try SealedSession.seal(profile, name: "default", to: try RecipientKey(parsing: recipient))
            let payload = line.dropFirst(SealedSession.prefix.count)
            let middle = payload.index(payload.startIndex, offsetBy: payload.count / 2)
            let bad =
                switch kind {
                case "truncated": String(line.dropLast(12))
                case "altered":
                    SealedSession.prefix + payload[..<middle] + (payload[middle] == "A" ? "B" : "A") + payload[payload.index(after: middle)...]
                case "not a seal": "pds-auth-session-1:" + String(repeating: "%", count: 40)
                default: line
                }
            try importing.type(bad + "\n")
            // Refused, nothing saved, and the wait goes on: the session exists nowhere else
            // now, and only this process can open it, so a bad paste must not end the import.
            _ = try await importing.waitForStderr("Still waiting: paste the whole line")
            let words = [
                "another recipient": "another recipient", "truncated": "truncated or altered", "altered": "truncated or altered",
                "not a seal": "not a sealed session",
            ]
            #expect(importing.stderr.contains(words[kind]!), "\(importing.stderr)")
            #expect(
                importing.isRunning && !FileManager.default.fileExists(atPath: target.path + "/credentials.json"),
                "nothing saved, still waiting")
            try importing.type(try SealedSession.seal(profile, name: "default", to: try RecipientKey(parsing: key)) + "\n")
            #expect(try await importing.wait() == 0, "\(importing.stderr)")
            #expect(
                try CredentialStore(directory: target.path).profile("moved")?.refreshToken == profile.refreshToken,
                "the whole line, pasted again, is imported")
        }
    }

    /// Standard input ending without a sealed session, after a bad line, is exit 16 with
    /// nothing saved.
    @Test func stdinEndingAfterABadLineSavesNothing() async throws {
        let target = TemporaryDirectory()
        let (importing, _) = try await Self.startImport(target.path)
        try importing.type("pds-auth-session-1:" + String(repeating: "%", count: 40) + "\n")
        _ = try await importing.waitForStderr("Still waiting")
        importing.closeInput()
        #expect(try await importing.wait() == 16 && importing.stderr.contains("ended without a sealed session"), "\(importing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.path + "/credentials.json"))
    }

    @Test func anExpiredSealIsRefused() async throws {
        try await DevSession.with { session in
            let target = TemporaryDirectory()
            let (importing, key) = try await Self.startImport(target.path)
            let profile = try #require(try session.store.profile("default"))
            let old = try SealedSession.seal(profile, name: "default", to: try RecipientKey(parsing: key), now: Date(timeIntervalSinceNow: -3600))
            try importing.type(old + "\n")
            _ = try await importing.waitForStderr("expired")
            #expect(importing.isRunning && !FileManager.default.fileExists(atPath: target.path + "/credentials.json"))
            importing.signal(SIGINT)
            #expect(try await importing.wait() == 130 && importing.stderr.contains("nothing was saved"), "\(importing.stderr)")
        }
    }

    @Test func mistakesChangeNothing() async throws {
        try await DevSession.with { session in
            let bytes = try session.fileBytes()
            let key = SessionReceiver().recipient.text
            let typo = String(key.dropLast()) + (key.last == "A" ? "B" : "A")
            let wrongKey = try await InProcessCLI.run(["export", "--to", typo], environment: session.environment)
            #expect(wrongKey.status == 2 && wrongKey.stderr.contains("recipient key") && wrongKey.stdout.isEmpty, "\(wrongKey.stderr)")
            #expect(try session.fileBytes() == bytes, "a mistyped key removes nothing")
            let taken = try await InProcessCLI.run(["import", "--profile", "default"], environment: session.environment)
            #expect(taken.status == 2 && taken.stdout.isEmpty && taken.stderr.contains("exists already"), "no key printed: \(taken.stderr)")
            let nothing = try await InProcessCLI.run(["import", "--profile", "late"], environment: session.environment)
            #expect(nothing.status == 16 && nothing.stderr.contains("Standard input ended"), "stdin at its end: \(nothing.stderr)")
            let waiting = CLIProcess(["import", "--profile", "late", "--timeout", "1"], environment: session.environment)
            try waiting.start()
            #expect(try await waiting.wait() == 12 && waiting.stderr.contains("No sealed session arrived"), "\(waiting.stderr)")
            #expect(try session.fileBytes() == bytes)
        }
    }
}

/// What `export` and `import --from` refuse, and what they keep.
@Suite struct SessionMoveRefusalTests {
    static func home(_ profile: StoredProfile) async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        try await CredentialStore(directory: home.path).save(profile, as: "p", makeCurrent: true)
        return home
    }

    /// A sealed line that cannot be printed is not a move: the profile stays (exit 14).
    @Test func aClosedStdoutKeepsTheSession() async throws {
        let home = try await Self.home(try StoredProfile.fixture(endpoint: "https://x.example", accessToken: "a-valid-token"))
        let script = """
            import os, subprocess, sys
            r, w = os.pipe(); os.close(r)
            p = subprocess.run([sys.argv[1], "export", "--to", sys.argv[2]], stdout=w, stderr=subprocess.PIPE)
            print("status=%d" % p.returncode); print(p.stderr.decode())
            """
        let result = try await ChildTool.run(
            "/usr/bin/python3", ["-c", script, CLIProcess.binary(), SessionReceiver().recipient.text],
            environment: ["PDS_AUTH_HOME": home.path])
        #expect(result.output.contains("status=14"), "\(result.output)")
        #expect(try CredentialStore(directory: home.path).profile("p")?.accessToken == "a-valid-token")
    }

    /// `--keep` where refresh tokens need not rotate (a generic provider): kept, with a warning.
    /// A JWT profile has no session to move.
    @Test func keepForGenericProvidersAndNothingForJWT() async throws {
        var generic = try StoredProfile.fixture(endpoint: "https://idp.example", accessToken: "a-valid-token")
        generic.endpoints = try ProviderEndpoints.resolve(
            endpoint: "https://idp.example", domainID: nil, authorize: "/o/authorize/", token: "/o/token/")
        let home = try await Self.home(generic)
        let kept = try await InProcessCLI.run(
            ["export", "--keep", "--to", SessionReceiver().recipient.text], environment: ["PDS_AUTH_HOME": home.path])
        #expect(kept.status == 0 && kept.stdout.hasPrefix(SealedSession.prefix) && kept.stderr.contains("two places"), "\(kept.stderr)")
        #expect(try CredentialStore(directory: home.path).profile("p") != nil)
        var jwt = try StoredProfile.fixture(endpoint: "https://x.example", accessToken: "a-valid-token", refreshToken: nil)
        jwt.grant = .jwtBearer
        jwt.jwt = JWTSettings(privateKeyPath: "/nonexistent.pem", subject: "u", subjectType: "user", autoCreate: false)
        let jwtHome = try await Self.home(jwt)
        let refused = try await InProcessCLI.run(["export", "--to", SessionReceiver().recipient.text], environment: ["PDS_AUTH_HOME": jwtHome.path])
        #expect(refused.status == 2 && refused.stdout.isEmpty && refused.stderr.contains("JWT profile"), "\(refused.stderr)")
        #expect(try CredentialStore(directory: jwtHome.path).profile("p") != nil)
    }

    /// `--from` reads only a regular file of this user's: another user could plant a session of
    /// theirs in a shared directory.
    @Test(.enabled(if: getuid() == 0, "needs root to make a file of another user's"))
    func fromRefusesAnotherUsersFileAndLinks() async throws {
        let shared = TemporaryDirectory()
        for (name, plant) in [
            (
                "planted",
                { (path: String) in
                    FileManager.default.createFile(atPath: path, contents: Data("pds-auth-session-1:AAAA\n".utf8))
                    chown(path, 65534, 65534)
                }
            ),
            (
                "link",
                { (path: String) in
                    try? FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc/hostname")
                }
            ),
        ] {
            let home = TemporaryDirectory()
            let path = shared.file(name)
            plant(path)
            let result = try await InProcessCLI.run(
                ["import", "--profile", "x", "--from", path, "--timeout", "5"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 16 && result.stderr.contains(name == "link" ? "symbolic link" : "another user"), "\(name): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: home.path + "/credentials.json"))
        }
    }
}

/// `import` on a real terminal (tmux): a sealed line longer than the 4095 bytes a terminal
/// line holds in its usual mode arrives whole.
@Suite struct ImportTerminalTests {
    @Test(.enabled(if: TerminalTests.enabled, "needs tmux (make test installs it)"))
    func aLongSealedLinePastedOnATerminalArrivesWhole() async throws {
        let source = try await SessionMoveRefusalTests.home(
            try StoredProfile.fixture(
                endpoint: "https://x.example",
                accessToken: String(repeating: "t", count: 6000)))
        let target = TemporaryDirectory()
        try await Tmux.with(target) { tmux in
            try await tmux.start(
                [CLIProcess.binary(), "import", "--profile", "moved", "--timeout", "60"],
                environment: ["PDS_AUTH_HOME": target.path, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"])
            let key = try await tmux.waitFor(#"(pds-auth-recipient-1:[A-Za-z0-9_-]+)"#)
            let export = try await InProcessCLI.run(["export", "--to", key], environment: ["PDS_AUTH_HOME": source.path])
            let line = export.stdout.trimmingCharacters(in: .newlines)
            #expect(export.status == 0 && line.utf8.count > 8000, "\(export.stderr)")
            try await tmux.type(line)
            try await tmux.press("Enter")
            let status = try await tmux.exitStatus()
            let screen = (try? await tmux.screen()) ?? ""
            #expect(status == 0, "\(screen.suffix(600))")
        }
        #expect(try CredentialStore(directory: target.path).profile("moved")?.accessToken.count == 6000)
    }
}

/// A move out of the Secret Service, received through a file, into the Secret Service of
/// another home: the items go with the profile, on both sides.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceMoveTests {
    @Test func fromTheKeyringThroughAFileIntoTheKeyring() async throws {
        try await KeyringSession.with { session in
            let sourceID = try session.entry()["secretID"] as? String
            let target = TemporaryDirectory()
            let dropDirectory = TemporaryDirectory()
            let drop = dropDirectory.file("sealed.txt")
            let (importing, key) = try await SessionMoveTests.startImport(
                target.path, ["--from", drop, "--store", "secret-service"],
                environment: session.keyring.environment)
            let export = try await session.run(["export", "--to", key])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(try await session.keyring.items().filter { $0["profile-id"] == sourceID }.isEmpty, "the source's items are gone")
            // A half-written line first: refused, and the file is read again once it changes.
            try String(export.stdout.prefix(export.stdout.count / 2) + "\n").write(toFile: drop, atomically: true, encoding: .utf8)
            _ = try await importing.waitForStderr("Still waiting: write the whole line `pds-auth export` printed into")
            try export.stdout.write(toFile: drop, atomically: true, encoding: .utf8)
            #expect(try await importing.wait() == 0, "\(importing.stderr)")
            let text = try String(contentsOfFile: target.path + "/credentials.json", encoding: .utf8)
            #expect(text.contains("\"store\" : \"secret-service\"") && !text.contains("refreshToken"), "\(text)")
            let refresh = try await CLIProcess.run(
                ["refresh"], environment: session.keyring.environment.merging(["PDS_AUTH_HOME": target.path]) { _, new in new })
            #expect(refresh.status == 0, "\(refresh.stderr)")
        }
    }
}
