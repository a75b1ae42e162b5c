import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// Which store a profile uses: `--store`, `PDS_AUTH_STORE`, remembered per profile, never
/// downgraded by the environment; `store migrate` between them.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretStoreChoiceTests {
    @Test func theEnvironmentChoosesAndNeverDowngrades() async throws {
        try await KeyringSession.with(signIn: false) { session in
            let first = try await session.login([], environment: ["PDS_AUTH_STORE": "secret-service"])
            #expect(first.status == 0 && first.stderr.contains("its secrets in the Secret Service"), "\(first.stderr)")
            #expect(try session.entry()["store"] as? String == "secret-service")
            // Signing in again with PDS_AUTH_STORE=file keeps the profile in the Secret Service.
            #expect(try await session.login([], environment: ["PDS_AUTH_STORE": "file"]).status == 0)
            #expect(try session.entry()["store"] as? String == "secret-service" && session.entry()["refreshToken"] == nil)
            #expect(try await session.items().count == 1, "the replaced generation is gone")
            // …and without any choice, it is remembered.
            #expect(try await session.login([]).status == 0)
            #expect(try session.entry()["store"] as? String == "secret-service")
            // Only an explicit --store file moves it, and its items go.
            let id = try session.entry()["secretID"] as? String
            let login = try await session.login(["--store", "file"])
            #expect(login.status == 0 && !login.stderr.contains("Secret Service"), "\(login.stderr)")
            #expect(try session.entry()["store"] == nil && session.entry()["refreshToken"] != nil)
            #expect(try await session.keyring.items().filter { $0["profile-id"] == id }.isEmpty)
            let wrong = try await session.login([], environment: ["PDS_AUTH_STORE": "keychain"])
            #expect(wrong.status == 3 && wrong.stderr.contains("PDS_AUTH_STORE must be file or secret-service"), "\(wrong.stderr)")
        }
    }

    @Test func migrateMovesVerifiesAndRemovesFromTheSource() async throws {
        try await KeyringSession.with { session in
            let token = try await session.run(["token"]).stdout
            let unconfirmed = try await session.run(["store", "migrate", "--to", "file"])
            #expect(unconfirmed.status == 2 && unconfirmed.stderr.contains("--yes"), "\(unconfirmed.stderr)")
            #expect(try session.entry()["store"] as? String == "secret-service")
            let id = try session.entry()["secretID"] as? String
            let toFile = try await session.run(["store", "migrate", "--to", "file", "--yes"])
            #expect(toFile.status == 0 && toFile.stderr.contains("Moved the secrets of profile \"default\""), "\(toFile.stderr)")
            let plain = try session.entry()
            #expect(
                plain["store"] == nil && plain["refreshToken"] != nil && plain["accessToken"] as? String == token.trimmingCharacters(in: .newlines))
            #expect(try await session.keyring.items().filter { $0["profile-id"] == id }.isEmpty, "removed from the Secret Service")
            let nothing = try await session.run(["store", "migrate", "--to", "file", "--yes"])
            #expect(nothing.status == 0 && nothing.stderr.contains("Nothing to move"))
            let back = try await session.run(["store", "migrate", "--to", "secret-service", "--profile", "default"])
            #expect(back.status == 0, "\(back.stderr)")
            let sealed = try session.entry()
            #expect(sealed["store"] as? String == "secret-service" && sealed["refreshToken"] == nil && sealed["accessToken"] == nil)
            #expect(try await session.pointedItem()?["refreshToken"] as? String == plain["refreshToken"] as? String)
            #expect(try await session.run(["token"]).stdout == token)
            let refresh = try await session.run(["refresh"])
            #expect(refresh.status == 0, "the moved refresh token is the live one: \(refresh.stderr)")
        }
    }
}

/// `store migrate --to file` on a terminal asks first (`[y/N]`), read from the terminal
/// through the command's own stdin: only `y` moves the secrets into the file.
@Suite(
    .enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"),
    .enabled(if: Tmux.available, "needs tmux"))
struct SecretStoreMigrateConfirmationTests {
    @Test func onlyYesMovesTheSecretsIntoTheFile() async throws {
        try await KeyringSession.with { session in
            for (answer, moves) in [("n", false), ("", false), ("y", true)] {
                try await Tmux.with(TemporaryDirectory()) { tmux in
                    try await tmux.start(
                        [CLIProcess.binary(), "store", "migrate", "--to", "file"],
                        environment: session.environment.merging(["PATH": "/usr/bin:/bin", "TERM": "xterm", "NO_COLOR": "1"]) { _, new in new })
                    _ = try await tmux.waitFor("plain text, mode 0600\\)\\? \\[y/N\\]")
                    try await tmux.type(answer + "\n")
                    let status = try await tmux.exitStatus()
                    let entry = try session.entry()
                    let screen = try await tmux.screen()
                    if moves {
                        #expect(status == 0 && entry["store"] == nil && entry["refreshToken"] != nil, "\(screen)")
                    } else {
                        #expect(status != 0 && entry["store"] as? String == "secret-service", "answer \"\(answer)\": \(screen)")
                    }
                }
            }
        }
    }
}

/// `jwt --store secret-service`: the access token (a JWT profile has no refresh token or
/// client secret) lives in the keyring, and a new assertion renews it there.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceJWTTests {
    @Test func aJWTProfileKeepsItsTokenInTheKeyring() async throws {
        let home = TemporaryDirectory()
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            try await SecretServiceSession.with { keyring in
                let key = home.file("app.pem")
                try Data(try #require(try await server.generatedJWTPrivateKeyPEM).utf8).write(to: URL(fileURLWithPath: key))
                chmod(key, 0o600)
                let environment = keyring.environment.merging(["PDS_AUTH_HOME": home.file("creds")]) { _, new in new }
                let jwt = try await CLIProcess.run(
                    [
                        "jwt", "--endpoint", base, "--domain-id", "dev", "--client-id", "pds-auth-jwt", "--private-key", key,
                        "--subject", "pdsuser-0001", "--store", "secret-service",
                    ], environment: environment)
                #expect(jwt.status == 0 && jwt.stderr.contains("its secrets in the Secret Service"), "\(jwt.stderr)")
                let text = try String(contentsOfFile: home.file("creds") + "/credentials.json", encoding: .utf8)
                #expect(text.contains("\"store\" : \"secret-service\"") && !text.contains("accessToken"), "\(text)")
                let first = try await CLIProcess.run(["token"], environment: environment)
                let renewed = try await CLIProcess.run(["token", "--min-valid", "86400"], environment: environment)
                #expect(first.status == 0 && renewed.status == 0 && first.stdout != renewed.stdout, "\(renewed.stderr)")
                #expect(try await keyring.items().count == 1)
            }
        }
    }
}
