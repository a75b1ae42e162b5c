import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth login` as a user runs it: a real process, its exit code and its output.
@Suite struct LoginCLITests {
    @Test func devLoginRoundTripInAProcess() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(
            ["login", "--dev", "--no-browser", "--json", "--redirect-uri", "http://127.0.0.1:0/callback"],
            environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        let startURL = try await login.waitForStderr(RemoteLoginCLITests.startLine)
        let start = try await ScriptedBrowser().get(startURL)
        let authorize = try #require(ScriptedBrowser.link(id: "login", in: start.html))
        let base = String(authorize.prefix { $0 != "?" }.dropLast("/v2/oauth/authorize".count))
        try await DevApproval.approve(authorize: authorize, base: base)
        #expect(try await login.wait() == 0, "\(login.stderr)")
        #expect(login.stderr.contains("✓ Signed in as pdsuser (user_id pdsuser-0001, domain dev, drive 1). Access token valid until"))
        #expect(login.stderr.contains("(profile \"dev\", now the current profile)"))
        let json = try JSONSerialization.jsonObject(with: Data(login.stdout.utf8)) as? [String: Any]
        #expect(json?["profile"] as? String == "dev" && json?["user_name"] as? String == "pdsuser")
        let saved = try #require(try CredentialStore(directory: home.path).profile("dev"))
        #expect((json?["access_token"] as? String) == Redaction.mask(saved.accessToken), "masked unless --show-token")
        #expect(!login.stderr.contains(saved.accessToken) && !login.stderr.contains(saved.refreshToken!))
        #expect(fileMode(home.path + "/credentials.json") == 0o600 && fileMode(home.path) == 0o700)
        // The first minutes after sign-in: README's next line works without naming the profile.
        let token = try await InProcessCLI.run(["token"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(token.status == 0 && token.stdout == saved.accessToken + "\n", "\(token.stderr)")
    }

    /// The listener serves one browser on one event-loop thread, for one address or for
    /// both of localhost's; SwiftNIO's shared group would start one thread per core.
    @Test(arguments: ["http://127.0.0.1:0/callback", "http://localhost:0/callback"])
    func theListenerRunsOnOneEventLoopThread(_ redirectURI: String) async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(
            [
                "login", "--no-browser", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev", "--client-id", "c",
                "--no-preflight", "--redirect-uri", redirectURI,
            ], environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        _ = try await login.waitForStderr(#"Open (http://[^ ]+) to sign in"#)
        let tasks = "/proc/\(login.pid)/task"
        let names = try FileManager.default.contentsOfDirectory(atPath: tasks).map {
            (try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8)) ?? ""
        }
        login.signal(SIGINT)
        _ = try await login.wait()
        // SwiftNIO names its event-loop threads NIO-ELT-… (a group of its own) or NIO-SGLTN-… (the shared one).
        #expect(names.filter { $0.hasPrefix("NIO-") }.count == 1, "\(names)")
    }

    @Test func switchChangesTheCurrentProfile() async throws {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        for name in ["one", "two"] {
            let profile = try StoredProfile.fixture(
                endpoint: "https://x.example", domainID: nil, accessToken: "token-of-\(name)",
                refreshToken: nil, tokenType: nil)
            try await store.save(profile, as: name, makeCurrent: name == "one")
        }
        let environment = ["PDS_AUTH_HOME": home.path]
        #expect(try await InProcessCLI.run(["token"], environment: environment).stdout == "token-of-one\n")
        let switched = try await InProcessCLI.run(["switch", "two"], environment: environment)
        #expect(switched.status == 0 && switched.stderr.contains("\"two\" is now the current profile"))
        #expect(try await InProcessCLI.run(["token"], environment: environment).stdout == "token-of-two\n")
        #expect(
            try await InProcessCLI.run(["token"], environment: environment.merging(["PDS_AUTH_PROFILE": "one"]) { a, _ in a }).stdout
                == "token-of-one\n")
        let status = try await InProcessCLI.run(["status"], environment: environment)
        #expect(status.stdout.contains("two  (current)") && !status.stdout.contains("one  (current)"))
        #expect(try await InProcessCLI.run(["switch", "three"], environment: environment).status == 13)
    }

    static let badConfiguration: [([String], [String: String], String)] = [
        (["login", "--domain-id", "bj1"], [:], "No client id given"),
        (["login", "--client-id", "c"], [:], "No domain id or endpoint given"),
        (["login", "--client-id", "c", "--endpoint", "http://example.com"], [:], "Refusing plain http"),
        (
            ["login", "--client-id", "c", "--domain-id", "bj1", "--client-secret-file", "/nonexistent/secret"], [:],
            "Cannot read the client secret file"
        ),
        (["login", "--client-id", "c", "--domain-id", "bj1", "--client-secret-file", "/dev/zero"], [:], "Cannot read the client secret file"),
        (["login", "--client-id", "c", "--domain-id", "bj1"], ["PDS_AUTH_HTTP_TIMEOUT": "inf"], "PDS_AUTH_HTTP_TIMEOUT must be a number of seconds"),
        (["login", "--client-id", "c", "--domain-id", "bj1"], ["PDS_AUTH_PROFILE": "no spaces"], "PDS_AUTH_PROFILE"),
        (["login", "--client-id", "c"], ["PDS_DOMAIN_ID": "bad/label"], "not a valid host label"),
        // Issue 17: caught before anything listens, not by the provider after the user signed in.
        (["login", "--client-id", "c", "--endpoint", "http://127.0.0.1:9"], [:], "does not name a PDS domain, and PDS requires domain_id"),
        (["login", "--client-id", "c", "--endpoint", "https://bj2.api.aliyunpds.com", "--domain-id", "bj1"], [:], "contradicts the endpoint"),
    ]

    @Test(arguments: badConfiguration)
    func badConfigurationExitsThreeWithAMessage(arguments: [String], environment: [String: String], message: String) async throws {
        let home = TemporaryDirectory()
        let result = try await InProcessCLI.run(
            arguments + ["--no-browser"], environment: environment.merging(["PDS_AUTH_HOME": home.path]) { a, _ in a })
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("error: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("Open http"), "nothing listened: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
        #expect(!FileManager.default.fileExists(atPath: home.path + "/credentials.json"))
    }

    @Test func environmentFallbacksAreRead() async throws {
        let home = TemporaryDirectory()
        // PDS_CLIENT_ID and PDS_ENDPOINT are used; the endpoint is refused for being plain http,
        // which proves both were read (without them the error would be about the client id).
        let result = try await InProcessCLI.run(
            ["login", "--no-browser"],
            environment: ["PDS_AUTH_HOME": home.path, "PDS_CLIENT_ID": "c", "PDS_ENDPOINT": "http://example.com"])
        #expect(result.status == 3 && result.stderr.contains("Refusing plain http"), "\(result.stderr)")
    }

    @Test func helpListsExitCodes() async throws {
        let result = try await InProcessCLI.run(["help", "exit-codes"], environment: [:])
        #expect(result.status == 0)
        #expect(result.stdout.contains("130") && result.stdout.contains("sign in again"))
    }

    /// Issue 17: a wrong client id, an unregistered redirect URI or an unreachable endpoint
    /// are reported before the browser opens (one request to the authorize endpoint), not
    /// after ten minutes of waiting; --no-preflight skips the check.
    @Test func mistakesTheProviderCanJudgeAreCaughtBeforeTheBrowser() async throws {
        var configuration = DevServerConfiguration.demo(redirectURIs: ["http://127.0.0.1:8765/callback"], port: 0)
        configuration.requiresDomainID = true
        try await DevServer.withRunning(configuration) { server, base in
            let home = TemporaryDirectory()
            let environment = ["PDS_AUTH_HOME": home.path, "PDS_CLIENT_SECRET": "unused"]
            let common = ["login", "--no-browser", "--endpoint", base, "--domain-id", "dev", "--timeout", "60"]
            let unknownClient = try await InProcessCLI.run(common + ["--client-id", "no-such-app"], environment: environment)
            #expect(
                unknownClient.status == 7 && unknownClient.stderr.contains("invalid_client") && !unknownClient.stderr.contains("Open http"),
                "\(unknownClient.stderr)")
            let unregistered = try await InProcessCLI.run(
                common + ["--client-id", "pds-auth-native", "--redirect-uri", "http://127.0.0.1:9/other"],
                environment: ["PDS_AUTH_HOME": home.path])
            #expect(
                unregistered.status == 3 && unregistered.stderr.contains("invalid_redirect_uri") && !unregistered.stderr.contains("Open http"),
                "\(unregistered.stderr)")
            let started = ContinuousClock.now
            let unreachable = try await InProcessCLI.run(
                [
                    "login", "--no-browser", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev",
                    "--client-id", "c", "--timeout", "600",
                ], environment: environment)
            #expect(unreachable.status == 9 && unreachable.stderr.contains("Could not connect"), "\(unreachable.stderr)")
            #expect(ContinuousClock.now - started < .seconds(20), "at once, not after the 600 s wait")
            // --no-preflight: the wait starts without asking (and times out here).
            let skipped = try await InProcessCLI.run(
                [
                    "login", "--no-browser", "--no-preflight", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev",
                    "--client-id", "c", "--timeout", "1", "--redirect-uri", "http://127.0.0.1:0/callback",
                ],
                environment: environment)
            #expect(skipped.status == 12 && skipped.stderr.contains("Open http"), "\(skipped.stderr)")
            #expect(await server.statistics().tokenRequests.isEmpty)
        }
    }

    /// Issue 17: a public client given a secret anyway is a configuration error (exit 3,
    /// nothing sent); the remembered `--public-client` belongs to the profile's client id
    /// alone, so signing in to the same profile with another app takes its secret.
    @Test func aPublicClientTakesNoSecretAndTheMarkBelongsToItsClientID() async throws {
        let home = TemporaryDirectory()
        var native = try StoredProfile.fixture(endpoint: "http://127.0.0.1:9", accessToken: "old-token")
        native.publicClient = true
        try await CredentialStore(directory: home.path).save(native, as: "native")
        let environment = ["PDS_AUTH_HOME": home.path, "PDS_CLIENT_SECRET": "a-secret"]
        let common = [
            "login", "--no-browser", "--no-preflight", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev",
            "--redirect-uri", "http://127.0.0.1:0/callback", "--timeout", "1",
        ]
        for extra in [["--public-client", "--client-id", "c", "--profile", "new"], ["--client-id", "c", "--profile", "native"]] {
            let refused = try await InProcessCLI.run(common + extra, environment: environment)
            #expect(
                refused.status == 3 && refused.stderr.contains("public client") && !refused.stderr.contains("Open http"),
                "\(extra): \(refused.stderr)")
        }
        let otherApp = try await InProcessCLI.run(common + ["--client-id", "another-app", "--profile", "native"], environment: environment)
        #expect(otherApp.status == 12 && otherApp.stderr.contains("Open http"), "another client id takes its secret: \(otherApp.stderr)")
    }
}

/// The consent step at the dev server, shared by process tests.
enum DevApproval {
    static func approve(authorize: String, base: String) async throws {
        _ = try await ScriptedBrowser().get(try await redirect(authorize: authorize))
    }

    /// Approves at the dev server and returns where it sends the browser back, without
    /// going there (a browser on another machine, for paste-back).
    static func redirect(authorize: String) async throws -> String {
        let base = String(authorize.prefix { $0 != "?" }.dropLast("/v2/oauth/authorize".count))
        let browser = ScriptedBrowser()
        let consent = try await browser.get(authorize)
        guard let back = try await browser.submit(button: "approve", on: consent, base: base).location else {
            throw CLIProcessError(message: "no redirect after approval: \(consent.html.prefix(200))")
        }
        return back
    }

    /// From the start page: its `login` link, then approval, then the redirect followed.
    static func approve(startURL: String) async throws {
        let start = try await ScriptedBrowser().get(startURL)
        guard let authorize = ScriptedBrowser.link(id: "login", in: start.html) else { throw CLIProcessError(message: "no login link") }
        _ = try await ScriptedBrowser().get(try await redirect(authorize: authorize))
    }
}
