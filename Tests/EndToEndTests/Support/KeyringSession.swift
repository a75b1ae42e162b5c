import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// An in-process dev server (rotating refresh tokens), a real Secret Service
/// (`SecretServiceSession`), and a profile `default` signed in by `pds-auth login --store
/// secret-service` as a process: what the `secret-service` tests run `pds-auth` against.
struct KeyringSession {
    let server: DevServer
    let base: String
    let keyring: SecretServiceSession
    let home: TemporaryDirectory
    let clientSecret: String
    let clientID: String

    var store: CredentialStore { CredentialStore(directory: home.path) }
    var environment: [String: String] { keyring.environment.merging(["PDS_AUTH_HOME": home.path]) { _, new in new } }

    static func with<T: Sendable>(accessTokenLifetime: Int = 3600, signIn: Bool = true, _ body: (KeyringSession) async throws -> T) async throws -> T
    {
        try await DevServer.withRunning(DevSession.configuration(accessTokenLifetime: accessTokenLifetime)) { server, base in
            try await SecretServiceSession.with { keyring in
                let app = server.configuration.apps.first { $0.clientSecret != nil }!
                let session = KeyringSession(
                    server: server, base: base, keyring: keyring, home: TemporaryDirectory(),
                    clientSecret: app.clientSecret!, clientID: app.clientID)
                if signIn {
                    let login = try await session.login(["--store", "secret-service"])
                    #expect(login.status == 0, "\(login.stderr)")
                }
                return try await body(session)
            }
        }
    }

    /// `pds-auth login` against the dev server as profile `name`, approved by a scripted browser.
    func login(
        _ extra: [String], profile name: String = "default", environment more: [String: String] = [:]
    ) async throws -> (status: Int32, stderr: String) {
        let login = CLIProcess(
            [
                "login", "--endpoint", base, "--domain-id", server.configuration.domainID, "--client-id", clientID,
                "--no-browser", "--redirect-uri", "http://127.0.0.1:0/callback", "--profile", name,
            ] + extra,
            environment: environment.merging(["PDS_CLIENT_SECRET": clientSecret]) { _, new in new }.merging(more) { _, new in new })
        try login.start()
        if let startURL = try? await login.waitForStderr(RemoteLoginCLITests.startLine, timeout: .seconds(30)) {
            try await DevSession.approve(startURL: startURL, base: base)
        }
        return (try await login.wait(), login.stderr)
    }

    func run(_ arguments: [String], environment more: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await CLIProcess.run(arguments, environment: environment.merging(more) { _, new in new })
    }

    func fileBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: store.filePath)) }

    /// The file's entry for `name` as JSON members (what is on disk, secrets or not).
    func entry(_ name: String = "default") throws -> [String: Any] {
        let top = try #require(try JSONSerialization.jsonObject(with: fileBytes()) as? [String: Any])
        return try #require((top["profiles"] as? [String: Any])?[name] as? [String: Any])
    }

    /// The item the file points at for `name`, decoded: its payload's profile members.
    func pointedItem(_ name: String = "default") async throws -> [String: Any]? {
        let entry = try entry(name)
        let id = try #require(entry["secretID"] as? String)
        let generation = try #require(entry["secretGeneration"] as? String)
        let lookup = try await keyring.secretTool(["lookup", "profile-id", id, "generation", generation])
        // The output is stdout and stderr together: the secret is the JSON object in it.
        let json = lookup.output.firstIndex(of: "{").flatMap { start in lookup.output.lastIndex(of: "}").map { lookup.output[start...$0] } } ?? ""
        guard lookup.status == 0, let payload = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            Issue.record("secret-tool lookup \(id) \(generation): \(lookup.status) \(lookup.output)")
            return nil
        }
        return payload["profile"] as? [String: Any]
    }

    /// Every pds-auth item of profile `name`'s id.
    func items(_ name: String = "default") async throws -> [[String: String]] {
        let id = try #require(try entry(name)["secretID"] as? String)
        return try await keyring.items().filter { $0["profile-id"] == id }
    }
}

extension KeyringSession {
    /// Marks the saved access token as expired by editing the file's `expiresAt` (a setting,
    /// not a secret: it is in the file for every profile).
    func expireAccessToken(_ name: String = "default") throws {
        var top = try #require(try JSONSerialization.jsonObject(with: fileBytes()) as? [String: Any])
        var profiles = try #require(top["profiles"] as? [String: Any])
        var entry = try #require(profiles[name] as? [String: Any])
        entry["expiresAt"] = "2020-01-01T00:00:00Z"
        profiles[name] = entry
        top["profiles"] = profiles
        try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]).write(to: URL(fileURLWithPath: store.filePath))
    }
}
