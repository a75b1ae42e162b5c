import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// Naming the authorize and token endpoints makes the provider generic (any RFC 6749
/// server): no PDS-only parameters unless asked, the provider named by its host, and
/// revocation through RFC 7009 at `--revoke-url`. The dev server plays a generic server
/// (domain_id optional, as an older or non-PDS server).
@Suite struct GenericProviderCLITests {
    static func configuration(requiresDomainID: Bool) -> DevServerConfiguration {
        var configuration = DevSession.configuration()
        configuration.requiresDomainID = requiresDomainID
        return configuration
    }

    static func login(base: String, app: DevApp, home: TemporaryDirectory, extra: [String] = []) async throws -> (CLIProcess, String) {
        let login = CLIProcess(
            [
                "login", "--no-browser", "--endpoint", base, "--authorize-url", "/v2/oauth/authorize", "--token-url", "/v2/oauth/token",
                "--revoke-url", "/v2/oauth/revoke", "--client-id", app.clientID, "--redirect-uri", "http://127.0.0.1:0/callback",
                "--profile", "idp",
            ] + extra,
            environment: ["PDS_AUTH_HOME": home.path, "PDS_CLIENT_SECRET": app.clientSecret ?? ""])
        try login.start()
        return (login, try await login.waitForStderr(RemoteLoginCLITests.startLine))
    }

    @Test func signInSendsNoPDSParametersNamesTheHostAndRevokesPerRFC7009() async throws {
        try await DevServer.withRunning(Self.configuration(requiresDomainID: false)) { server, base in
            let home = TemporaryDirectory()
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let (login, startURL) = try await Self.login(base: base, app: app, home: home)
            #expect(login.stderr.contains("to sign in to 127.0.0.1"), "the provider is named by its host: \(login.stderr)")
            let start = try await ScriptedBrowser().get(startURL)
            #expect(start.html.contains("Sign in to 127.0.0.1") && !start.html.contains("Drive and Photo Service"))
            let authorize = try #require(ScriptedBrowser.link(id: "login", in: start.html))
            #expect(!authorize.contains("login_type=") && !authorize.contains("domain_id="), "\(authorize)")
            try await DevApproval.approve(startURL: startURL)
            #expect(try await login.wait() == 0, "\(login.stderr)")
            let profile = try #require(try CredentialStore(directory: home.path).profile("idp"))
            #expect(profile.endpoints.flavor == .generic && profile.endpoints.revokeURL?.path == "/v2/oauth/revoke" && profile.domainID == nil)

            let refresh = try await InProcessCLI.run(["refresh"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(refresh.status == 0, "refresh works against a generic server too: \(refresh.stderr)")
            let status = try await InProcessCLI.run(["status"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(status.stdout.contains("(generic OAuth provider)"))

            let revoked = try #require(try CredentialStore(directory: home.path).profile("idp")?.refreshToken)
            let logout = try await InProcessCLI.run(["logout", "--revoke"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(logout.status == 0, "\(logout.stderr)")
            #expect(await server.statistics().revocations == 1)
            let client = TokenClient(
                http: CurlClient(), tokenURL: URL(string: base + "/v2/oauth/token")!, clientID: app.clientID, clientSecret: app.clientSecret)
            await #expect { try await client.request(.refreshToken(revoked)) } throws: { ($0 as? PDSAuthError)?.code == .sessionExpired }
        }
    }

    @Test func aDomainGivenIsSentToAGenericServerToo() async throws {
        try await DevServer.withRunning(Self.configuration(requiresDomainID: true)) { server, base in
            let home = TemporaryDirectory()
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let (login, startURL) = try await Self.login(base: base, app: app, home: home, extra: ["--domain-id", "dev", "--login-type", "ram"])
            let authorize = try #require(ScriptedBrowser.link(id: "login", in: try await ScriptedBrowser().get(startURL).html))
            #expect(authorize.contains("domain_id=dev") && authorize.contains("login_type=ram"), "only because they were asked for")
            try await DevApproval.approve(startURL: startURL)
            #expect(try await login.wait() == 0, "\(login.stderr)")
            #expect(try CredentialStore(directory: home.path).profile("idp")?.domainID == "dev", "remembered for refreshes")
        }
    }

    @Test func logoutRevokeWithoutAnEndpointSaysSoAndKeepsTheProfile() async throws {
        try await DevServer.withRunning(Self.configuration(requiresDomainID: false)) { server, base in
            let home = TemporaryDirectory()
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let login = CLIProcess(
                [
                    "login", "--no-browser", "--endpoint", base, "--authorize-url", "/v2/oauth/authorize", "--token-url", "/v2/oauth/token",
                    "--client-id", app.clientID, "--redirect-uri", "http://127.0.0.1:0/callback",
                ],
                environment: ["PDS_AUTH_HOME": home.path, "PDS_CLIENT_SECRET": app.clientSecret ?? ""])
            try login.start()
            try await DevApproval.approve(startURL: try await login.waitForStderr(RemoteLoginCLITests.startLine))
            #expect(try await login.wait() == 0)
            let logout = try await InProcessCLI.run(["logout", "--revoke"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(logout.status == 3 && logout.stderr.contains("has no revocation endpoint"), "\(logout.stderr)")
            #expect(try CredentialStore(directory: home.path).profile("default") != nil, "a failed revoke keeps the profile")
        }
    }
}
