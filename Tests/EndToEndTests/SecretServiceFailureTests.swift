import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// When the chosen store cannot be used, commands say so, naming the store and what to do,
/// exit 11, and change nothing: no fallback to the file, nothing half-written, and no
/// token in the file or on stdout.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceFailureTests {
    /// Runs `command` and checks it failed with exit 11 naming `words`, leaving everything
    /// as it was.
    static func expectRefused(
        _ command: [String], _ session: KeyringSession, environment: [String: String] = [:], saying words: [String]
    ) async throws {
        let bytes = try session.fileBytes()
        let items = try await session.keyring.items()
        let result = try await session.run(command, environment: environment)
        #expect(result.status == 11, "\(command): \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(command): \(result.stderr)") }
        #expect(result.stdout.isEmpty, "nothing printed: \(result.stdout)")
        #expect(!result.stderr.contains("\u{1B}"), "no escape sequence reaches the terminal")
        #expect(try session.fileBytes() == bytes, "\(command): the file is untouched")
        #expect(try await session.keyring.items() == items, "\(command): the keyring is untouched")
    }

    @Test func aLockedKeyringIsReportedAndThenUnlockedWorks() async throws {
        try await KeyringSession.with { session in
            try await session.keyring.lock()
            for command in [["token"], ["refresh"], ["logout"], ["store", "migrate", "--to", "file", "--yes"]] {
                try await Self.expectRefused(command, session, saying: ["keyring is locked", "Unlock the keyring", "never asks"])
            }
            let status = try await session.run(["status"])
            #expect(status.status == 0 && status.stdout.contains("keyring is locked"), "\(status.stdout)")
            try await session.keyring.unlock()
            let token = try await session.run(["token"])
            #expect(token.status == 0 && !token.stdout.isEmpty, "\(token.stderr)")
        }
    }

    @Test func aDeletedItemIsReportedAndLogoutStillWorks() async throws {
        try await KeyringSession.with { session in
            let id = try #require(try session.entry()["secretID"] as? String)
            #expect(try await session.keyring.secretTool(["clear", "profile-id", id]).status == 0)
            for command in [["token"], ["refresh"], ["api", "/v2/user/get"]] {
                try await Self.expectRefused(command, session, saying: ["no item", "secret-service", "logout"])
            }
            let logout = try await session.run(["logout"])
            #expect(logout.status == 0, "\(logout.stderr)")
            #expect(try session.store.load().names.isEmpty)
        }
    }

    @Test func noSessionBusIsReported() async throws {
        try await KeyringSession.with { session in
            let nowhere = ["DBUS_SESSION_BUS_ADDRESS": "unix:path=" + session.keyring.directory.path + "/no-bus"]
            for command in [["token"], ["refresh"], ["logout"]] {
                try await Self.expectRefused(
                    command, session, environment: nowhere, saying: ["no Secret Service answers", "secret-service", "nothing falls back"])
            }
            // A new sign-in checks the store before it starts: no browser, nothing saved.
            let login = try await session.login(["--store", "secret-service"], profile: "second", environment: nowhere)
            #expect(login.status == 11 && !login.stderr.contains("to sign in"), "\(login.stderr)")
            #expect(try session.store.load().names == ["default"])
        }
    }

    @Test func aBusWithoutASecretServiceIsReported() async throws {
        let bus = try await SecretServiceSession.startWithoutServices()
        try await KeyringSession.with { session in
            try await Self.expectRefused(
                ["token"], session, environment: bus.environment.filter { $0.key == "DBUS_SESSION_BUS_ADDRESS" },
                saying: ["no Secret Service answers", "org.freedesktop.secrets"])
        }
        await bus.stop()
    }

    /// libsecret's own file backend (SECRET_BACKEND=file) is not the Secret Service: refused.
    @Test func libsecretsFileBackendIsRefused() async throws {
        try await KeyringSession.with { session in
            try await Self.expectRefused(["token"], session, environment: ["SECRET_BACKEND": "file"], saying: ["SECRET_BACKEND"])
            let login = try await session.login(["--store", "secret-service"], profile: "second", environment: ["SECRET_BACKEND": "file"])
            #expect(login.status == 11 && login.stderr.contains("SECRET_BACKEND"), "\(login.stderr)")
            let keyrings = session.keyring.environment["XDG_DATA_HOME"]! + "/keyrings"
            #expect(!FileManager.default.fileExists(atPath: keyrings + "/default.keyring"), "libsecret's file backend wrote nothing")
        }
    }

    /// A file profile never touches the Secret Service: it works with no bus at all.
    @Test func fileProfilesNeedNoSecretService() async throws {
        try await KeyringSession.with(signIn: false) { session in
            let login = try await session.login([])
            #expect(login.status == 0, "\(login.stderr)")
            let entry = try session.entry()
            #expect(entry["refreshToken"] != nil && entry["store"] == nil)
            let nowhere = ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "SECRET_BACKEND": "file"]
            for command in [["token"], ["refresh"], ["status"]] {
                let result = try await session.run(command, environment: nowhere)
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            #expect(try await session.keyring.items().isEmpty)
        }
    }
}

/// Another program of the same user on the session bus can claim the Secret Service's name
/// where none runs. pds-auth then fails like any other refusal: exit 11, nothing saved, no
/// secret sent, and the peer's error text reaches the terminal stripped of escapes.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring, secret-tool and python3-gi (make test installs them)"))
struct SecretServicePeerTests {
    @Test func aHostileServiceGetsNoSecretAndCannotWriteToTheTerminal() async throws {
        let bus = try await SecretServiceSession.startWithoutServices()
        let peer = try await bus.peer("hostile")
        try await KeyringSession.with { session in
            let there = ["DBUS_SESSION_BUS_ADDRESS": bus.address]
            try await SecretServiceFailureTests.expectRefused(["token"], session, environment: there, saying: ["refused", "gotcha"])
            let login = try await session.login(["--store", "secret-service"], profile: "second", environment: there)
            #expect(login.status == 11 && !login.stderr.contains("\u{1B}") && !login.stderr.contains("\u{202E}"), "\(login.stderr)")
            #expect(peer.stdout.contains("call:"), "the peer was asked: \(peer.stdout)")
            #expect(!peer.stdout.contains(session.clientSecret), "no secret reached the peer")
        }
        peer.kill()
        await bus.stop()
    }

    /// A service that never answers holds a command for D-Bus's reply timeout (25 s), then it
    /// fails like the rest.
    @Test func aSilentServiceTimesOut() async throws {
        let bus = try await SecretServiceSession.startWithoutServices()
        let peer = try await bus.peer("silent")
        try await KeyringSession.with { session in
            let started = ContinuousClock.now
            try await SecretServiceFailureTests.expectRefused(
                ["token"], session, environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address], saying: ["secret-service"])
            #expect(ContinuousClock.now - started < .seconds(60))
        }
        peer.kill()
        await bus.stop()
    }
}

/// Another local user cannot reach the keyring: the bus socket is in a 0700 directory, and
/// even with that opened up, the session bus accepts only its own user.
@Suite(
    .enabled(
        if: SecretServiceSession.available && getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
        "needs root, setpriv and the Secret Service packages"))
struct SecretServiceOtherUserTests {
    @Test func anotherUserReadsNoItem() async throws {
        try await KeyringSession.with { session in
            let refresh = try #require(try await session.pointedItem()?["refreshToken"] as? String)
            let asNobody = [
                "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/secret-tool", "search", "--all", "--unlock", "xdg:schema",
                "pds-auth.Profile",
            ]
            let environment = ["DBUS_SESSION_BUS_ADDRESS": session.keyring.address, "HOME": "/tmp", "PATH": "/usr/bin:/bin"]
            let closed = try await ChildTool.run("/usr/bin/setpriv", asNobody, environment: environment)
            #expect(closed.status != 0 && !closed.output.contains(refresh) && closed.output.contains("Permission denied"), "\(closed.output)")
            for path in [session.keyring.directory.path, session.keyring.directory.path + "/run"] { chmod(path, 0o755) }
            let open = try await ChildTool.run("/usr/bin/setpriv", asNobody, environment: environment)
            #expect(open.status != 0 && !open.output.contains(refresh), "the bus refuses another user: \(open.output)")
            let token = try await ChildTool.run(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CLIProcess.binary(), "token"],
                environment: environment.merging(["PDS_AUTH_HOME": session.home.path]) { _, new in new })
            #expect(token.status != 0 && !token.output.contains(refresh), "\(token.output)")
        }
    }
}
