import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Generic mode against an independent, widely used RFC 6749 server: django-oauth-toolkit
/// (DOT), run by `Tests/Interop/dot_server.py` from the venv that `Tests/Interop/setup`
/// makes (`make test` runs it first). The same flows as `GenericProviderCLITests` (which
/// uses the built-in dev server), through the built `pds-auth` binary: sign in with the
/// authorization-code grant and PKCE (S256), `status`, `token`, a rotating `refresh`, and
/// `logout --revoke` (RFC 7009), for a confidential and a public client, with DOT's
/// defaults and with the RFC 9700 gates DOT plans to turn on in 4.0; concurrent `token`
/// calls against DOT's rotation; DOT's refusals as exit codes.
///
/// Without the venv these tests fail and say how to make it; `PDS_AUTH_SKIP_INTEROP=1`
/// skips them. Each test runs its own server on a free loopback port, with its database
/// in a temp dir, and stops it however the test ends. One at a time (about 2 s each): a
/// server's start takes a core for a second, and the suite runs beside time-bounded tests.
@Suite(.serialized, .disabled(if: DjangoOAuthToolkit.skipped, "PDS_AUTH_SKIP_INTEROP=1: the django-oauth-toolkit interop tests are skipped"))
struct DjangoOAuthToolkitTests {
    enum ClientKind: String, CaseIterable, Sendable {
        case confidential, `public`
    }

    @Test(arguments: ClientKind.allCases, [false, true])
    func signInRefreshAndRevoke(_ kind: ClientKind, rfc9700: Bool) async throws {
        try await DjangoOAuthToolkit.withRunning(rfc9700: rfc9700) { dot in
            let client = dot.client(kind)
            let home = TemporaryDirectory()
            let environment = ["PDS_AUTH_HOME": home.path]

            let signIn = try await dot.signIn(client, home: home)
            let authorize = signIn.authorize
            #expect(signIn.authorizeURL.hasPrefix(dot.base + "/o/authorize/?"), "\(signIn.authorizeURL)")
            #expect(authorize["response_type"] == "code" && authorize["client_id"] == client.clientID)
            #expect(authorize["code_challenge_method"] == "S256" && authorize["code_challenge"]?.count == 43, "PKCE S256: \(signIn.authorizeURL)")
            #expect(authorize["login_type"] == nil && authorize["domain_id"] == nil, "no PDS-only parameters: \(signIn.authorizeURL)")
            #expect(
                authorize["redirect_uri"] == "http://127.0.0.1:\(signIn.listenerPort)/callback",
                "the listener's own port, matched by DOT as a loopback URI")
            #expect((authorize["state"]?.count ?? 0) >= 32)
            // DOT with skip_authorization answers the authorize URL with a 302 to the callback.
            #expect(signIn.callback["state"] == authorize["state"] && signIn.callback["code"] != nil, "\(signIn.callbackURL)")
            #expect(signIn.callback["error"] == nil, "\(signIn.callbackURL)\n\(dot.log)")
            // RFC 9207's `iss` comes only with the RFC 9700 gates on; pds-auth accepts (ignores) it.
            #expect(signIn.callback["iss"] == (rfc9700 ? dot.base + "/o" : nil), "\(signIn.callbackURL)")
            #expect(signIn.finished.status == 200, "the listener's success page: \(signIn.finished.html.prefix(300))")
            #expect(signIn.status == 0, "\(signIn.stderr)\n\(dot.log)")
            #expect(signIn.stderr.contains("to sign in to 127.0.0.1"), "the provider is named by its host: \(signIn.stderr)")
            // DOT says nothing about the user: no placeholder where a name would be.
            #expect(signIn.stderr.contains("✓ Signed in. Access token valid until"), "\(signIn.stderr)")
            #expect(signIn.finished.html.contains("You are signed in. You can close"), "\(signIn.finished.html)")

            let store = CredentialStore(directory: home.path)
            let signedIn = try #require(try store.profile("dot"), "\(signIn.stderr)\n\(dot.log)")
            #expect(signedIn.endpoints.flavor == .generic && signedIn.domainID == nil)
            #expect(signedIn.endpoints.revokeURL?.absoluteString == dot.base + "/o/revoke_token/")
            #expect((signedIn.clientSecret ?? "") == (client.clientSecret ?? ""), "the secret kept for refreshes, none for a public client")
            let firstRefreshToken = try #require(signedIn.refreshToken, "DOT issues refresh tokens")
            #expect(try await dot.whoAmI(signedIn.accessToken) == 200, "DOT accepts the access token at its resource\n\(dot.log)")

            let status = try await CLIProcess.run(["status", "--profile", "dot"], environment: environment)
            #expect(status.status == 0 && status.stdout.contains("(generic OAuth provider)"), "\(status.stdout)\(status.stderr)")
            #expect(!status.stdout.contains("  user "), "no empty user row: \(status.stdout)")

            let token = try await CLIProcess.run(["token", "--profile", "dot"], environment: environment)
            #expect(token.status == 0 && token.stdout == signedIn.accessToken + "\n", "\(token.stdout)\(token.stderr)")

            // Refresh: DOT rotates the refresh token, and the old one is dead from then on.
            let refresh = try await CLIProcess.run(["refresh", "--profile", "dot"], environment: environment)
            #expect(refresh.status == 0, "\(refresh.stderr)\n\(dot.log)")
            let refreshed = try #require(try store.profile("dot"))
            let rotatedRefreshToken = try #require(refreshed.refreshToken)
            #expect(rotatedRefreshToken != firstRefreshToken && refreshed.accessToken != signedIn.accessToken, "rotated")
            await #expect { try await dot.tokenClient(client).request(.refreshToken(firstRefreshToken)) } throws: { error in
                (error as? PDSAuthError)?.code == .sessionExpired
            }
            let newToken = try await CLIProcess.run(["token", "--profile", "dot"], environment: environment)
            #expect(newToken.status == 0 && newToken.stdout == refreshed.accessToken + "\n", "\(newToken.stdout)\(newToken.stderr)")
            #expect(try await dot.whoAmI(refreshed.accessToken) == 200)

            // logout --revoke: RFC 7009 at DOT's revocation endpoint, then the profile is gone.
            let logout = try await CLIProcess.run(["logout", "--profile", "dot", "--revoke"], environment: environment)
            #expect(logout.status == 0 && logout.stderr.contains("revoked"), "\(logout.stdout)\(logout.stderr)\n\(dot.log)")
            #expect(try store.profile("dot") == nil)
            #expect(dot.log.contains("POST /o/revoke_token/ body=token=\(rotatedRefreshToken)&token_type_hint=refresh_token"), "\(dot.log)")
            await #expect { try await dot.tokenClient(client).request(.refreshToken(rotatedRefreshToken)) } throws: { error in
                (error as? PDSAuthError)?.code == .sessionExpired
            }
            #expect(try await dot.whoAmI(refreshed.accessToken) == 403, "DOT revokes the refresh token's access token with it")
        }
    }

    /// DOT rotates refresh tokens with no grace period, so two processes refreshing with the
    /// same one would lose the session: concurrent `token` calls on an expired access token
    /// must refresh exactly once and all print the token that refresh got.
    @Test func concurrentTokenCallsRefreshOnceAtDOT() async throws {
        try await DjangoOAuthToolkit.withRunning { dot in
            let home = TemporaryDirectory()
            let signIn = try await dot.signIn(dot.client(.public), home: home)
            #expect(signIn.status == 0, "\(signIn.stderr)\n\(dot.log)")
            let store = CredentialStore(directory: home.path)
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["dot"]?.expiresAt = Date(timeIntervalSinceNow: -60)
            }
            let results = try await withThrowingTaskGroup(of: (status: Int32, stdout: String, stderr: String).self) { group in
                for _ in 0..<4 {
                    group.addTask { try await CLIProcess.run(["token", "--profile", "dot"], environment: ["PDS_AUTH_HOME": home.path]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let saved = try #require(try store.profile("dot"))
            for result in results {
                #expect(result.status == 0 && result.stdout == saved.accessToken + "\n", "\(result.stdout)\(result.stderr)\n\(dot.log)")
            }
            #expect(dot.log.components(separatedBy: "grant_type=refresh_token").count - 1 == 1, "one refresh at DOT:\n\(dot.log)")
            #expect(try await dot.whoAmI(saved.accessToken) == 200)
        }
    }

    /// DOT's refusals reach the user as the documented exit codes, and change nothing.
    @Test func refusalsByDOTMapToTheDocumentedExitCodes() async throws {
        try await DjangoOAuthToolkit.withRunning { dot in
            // An unknown scope is refused before the browser opens: the preflight reads DOT's
            // redirect with error=invalid_scope (a setting to fix, exit 3), and nothing is saved.
            let home = TemporaryDirectory()
            let preflight = try await CLIProcess.run(
                [
                    "login", "--no-browser", "--endpoint", dot.base, "--authorize-url", "/o/authorize/",
                    "--token-url", "/o/token/", "--client-id", dot.client(.public).clientID,
                    "--redirect-uri", "http://127.0.0.1:0/callback", "--profile", "dot", "--scope", "no-such-scope",
                ],
                environment: ["PDS_AUTH_HOME": home.path])
            #expect(
                preflight.status == 3 && preflight.stderr.contains("invalid_scope") && preflight.stderr.contains("the browser was not opened"),
                "\(preflight.status) \(preflight.stderr)")
            #expect(!preflight.stderr.contains("to sign in"), "no start page offered: \(preflight.stderr)")
            #expect(try CredentialStore(directory: home.path).profile("dot") == nil)

            // Past the preflight, the same refusal on the redirect: error=invalid_scope (exit 5).
            let badScope = try await dot.signIn(dot.client(.public), home: home, extra: ["--scope", "no-such-scope", "--no-preflight"])
            #expect(
                badScope.callback["error"] == "invalid_scope" && badScope.callback["state"] == badScope.authorize["state"], "\(badScope.callbackURL)")
            #expect(badScope.status == 5 && badScope.stderr.contains("invalid_scope"), "\(badScope.stderr)")
            #expect(try CredentialStore(directory: home.path).profile("dot") == nil)

            // DOT really requires PKCE (so the sign-ins above proved S256 right): without it,
            // error=invalid_request (exit 5), for a confidential client too.
            let noPKCE = try await dot.signIn(dot.client(.confidential), home: home, extra: ["--no-pkce", "--no-preflight"])
            #expect(noPKCE.authorize["code_challenge"] == nil && noPKCE.callback["error"] == "invalid_request", "\(noPKCE.callbackURL)")
            #expect(noPKCE.status == 5 && noPKCE.stderr.contains("Code challenge required"), "\(noPKCE.stderr)")

            // A wrong client secret: DOT's token endpoint answers 401 invalid_client (exit 7).
            var wrong = dot.client(.confidential)
            wrong.clientSecret = "not-the-secret"
            let badSecret = try await dot.signIn(wrong, home: home)
            #expect(badSecret.callback["code"] != nil)
            #expect(badSecret.status == 7 && badSecret.stderr.contains("does not accept the client"), "\(badSecret.stderr)\n\(dot.log)")
            #expect(try CredentialStore(directory: home.path).profile("dot") == nil)

            // A rotated-away refresh token: invalid_grant, "sign in again" (exit 7), file unchanged.
            let signIn = try await dot.signIn(dot.client(.confidential), home: home, extra: ["--scope", "read"])
            #expect(signIn.status == 0, "\(signIn.stderr)\n\(dot.log)")
            let store = CredentialStore(directory: home.path)
            let old = try #require(try store.profile("dot")?.refreshToken)
            #expect(try store.profile("dot")?.scope == "read")
            let refresh = try await CLIProcess.run(["refresh", "--profile", "dot"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(refresh.status == 0, "\(refresh.stderr)")
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles["dot"]?.refreshToken = old }
            let before = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
            let stale = try await CLIProcess.run(["refresh", "--profile", "dot"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(stale.status == 7 && stale.stderr.contains("invalid_grant") && stale.stderr.contains("sign in again"), "\(stale.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before, "a refused refresh leaves the file as it was")
        }
    }
}

/// A running `Tests/Interop/dot_server.py`: its port, its two clients and its log.
struct DjangoOAuthToolkit: Sendable {
    struct Client: Sendable {
        var clientID: String
        var clientSecret: String?
    }

    /// What the server writes to its ready file once it is listening.
    struct Ready: Decodable, Sendable {
        struct App: Decodable, Sendable {
            var client_id: String
            var client_secret: String?
        }
        var pid: Int32
        var port: Int
        var django: String
        var django_oauth_toolkit: String
        var oauthlib: String
        var confidential: App
        var `public`: App
        var device: App
    }

    let ready: Ready
    let directory: TemporaryDirectory

    var base: String { "http://127.0.0.1:\(ready.port)" }
    var log: String {
        let text = (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? ""
        return "--- dot_server log (Django \(ready.django), django-oauth-toolkit \(ready.django_oauth_toolkit), oauthlib \(ready.oauthlib)):\n"
            + text.suffix(6000)
    }

    func client(_ kind: DjangoOAuthToolkitTests.ClientKind) -> Client {
        let app = kind == .confidential ? ready.confidential : ready.public
        return Client(clientID: app.client_id, clientSecret: app.client_secret)
    }

    func tokenClient(_ client: Client) -> TokenClient {
        TokenClient(
            http: CurlClient(), tokenURL: URL(string: base + "/o/token/")!, clientID: client.clientID, clientSecret: client.clientSecret,
            retry: .none)
    }

    /// The status DOT's bearer-token check gives `accessToken` (200 or 403).
    func whoAmI(_ accessToken: String) async throws -> Int {
        try await CurlClient().send(
            HTTPClientRequest(
                method: .get, url: URL(string: base + "/api/whoami")!,
                headerFields: [.authorization: "Bearer " + accessToken])
        ).status
    }

    /// What a sign-in went through, as the browser and the terminal saw it.
    struct SignIn {
        var authorizeURL: String
        var authorize: [String: String]
        var listenerPort: Int
        var callbackURL: String
        var callback: [String: String]
        var finished: ScriptedBrowser.Page
        var status: Int32
        var stderr: String
    }

    /// `pds-auth login` in generic mode against this server, the scripted browser
    /// following the start page's link and DOT's redirect back to the listener.
    /// With `issuer`, the endpoints come from DOT's metadata (`--issuer`), and `--endpoint`
    /// names only the API's base.
    func signIn(_ client: Client, home: TemporaryDirectory, issuer: Bool = false, extra: [String] = []) async throws -> SignIn {
        var environment = ["PDS_AUTH_HOME": home.path]
        if let secret = client.clientSecret { environment["PDS_CLIENT_SECRET"] = secret }
        let provider =
            issuer
            ? ["--issuer", base + "/o", "--endpoint", base]
            : ["--endpoint", base, "--authorize-url", "/o/authorize/", "--token-url", "/o/token/", "--revoke-url", "/o/revoke_token/"]
        let login = CLIProcess(
            ["login", "--no-browser"] + provider + [
                "--client-id", client.clientID, "--redirect-uri", "http://127.0.0.1:0/callback",
                "--profile", "dot",
            ] + extra,
            environment: environment)
        try login.start()
        let startURL = try await login.waitForStderr(RemoteLoginCLITests.startLine)
        let browser = ScriptedBrowser()
        let start = try await browser.get(startURL)
        guard let authorizeURL = ScriptedBrowser.link(id: "login", in: start.html) else {
            throw CLIProcessError(message: "no login link on the start page: \(start.html.prefix(500))")
        }
        let answer = try await browser.get(authorizeURL)
        guard answer.status == 302, let callbackURL = answer.location else {
            throw CLIProcessError(
                message:
                    "DOT answered the authorize URL \(authorizeURL) with HTTP \(answer.status), not a redirect: \(answer.html.prefix(500))\n\(log)")
        }
        let finished = try await browser.get(callbackURL)
        let status = try await login.wait()
        return SignIn(
            authorizeURL: authorizeURL, authorize: Self.query(authorizeURL), listenerPort: URL(string: startURL)?.port ?? 0,
            callbackURL: callbackURL, callback: Self.query(callbackURL), finished: finished, status: status, stderr: login.stderr)
    }

    static func query(_ url: String) -> [String: String] {
        let items = URLComponents(string: url)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }) { first, _ in first }
    }

    // MARK: Running the server

    /// The repository, from this file's path (Tests/EndToEndTests/…).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String { repository.appendingPathComponent(".build-interop/venv/bin/python").path }
    static var script: String { repository.appendingPathComponent("Tests/Interop/dot_server.py").path }
    static var skipped: Bool { ProcessInfo.processInfo.environment["PDS_AUTH_SKIP_INTEROP"] == "1" }

    /// Starts the server, runs `body`, and stops the server however `body` ends.
    static func withRunning<T: Sendable>(rfc9700: Bool = false, _ body: (DjangoOAuthToolkit) async throws -> T) async throws -> T {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CLIProcessError(
                message: """
                    django-oauth-toolkit is not installed for the interop tests: \(python) is missing. \
                    Run Tests/Interop/setup (make test does), or set PDS_AUTH_SKIP_INTEROP=1 to skip these tests.
                    """)
        }
        let directory = TemporaryDirectory()
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        let readyFile = directory.file("ready.json")
        let stopFile = directory.file("stop")
        var arguments = [
            script, "--data", data, "--port", "0", "--ready-file", readyFile, "--log", directory.file("server.log"),
            "--stop-file", stopFile, "--parent-pid", String(getpid()),
        ]
        if rfc9700 { arguments.append("--rfc9700") }
        // ChildTool: stdin /dev/null, stdout and stderr to a file of its own (never the test
        // runner's), no other descriptor inherited, signals unblocked, reaped on exit.
        let ended = ExitRecord()
        let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"]
        let child = Task {
            do {
                ended.record(try await ChildTool.run(python, arguments, environment: environment))
            } catch {
                ended.record((-1, "\(error)"))
            }
        }
        // Stop: the stop file ends it within 0.1 s; SIGKILL if it has not gone after 10 s.
        // (Should this process die first, the server sees its parent gone and exits.)
        func stop(pid: Int32?) async {
            FileManager.default.createFile(atPath: stopFile, contents: nil)
            _ = try? await waitUntil(timeout: .seconds(10)) { ended.result != nil }
            // Not reaped yet, so the pid is still the server's.
            if ended.result == nil, let pid { kill(pid, SIGKILL) }
            await child.value
        }

        let ready: Ready
        do {
            ready = try await waitForReady(readyFile, ended: ended)
        } catch {
            await stop(pid: nil)
            let log = (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? ""
            throw CLIProcessError(message: "\(error)\n--- dot_server output:\n\(ended.result?.output ?? "")\n--- log:\n\(log.suffix(4000))")
        }
        let server = DjangoOAuthToolkit(ready: ready, directory: directory)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(CLIProcessError(message: "\(error)\n\(server.log)"))
        }
        await stop(pid: ready.pid)
        return try result.get()
    }

    /// Waits (bounded) for the ready file; a server that exits first is an error.
    static func waitForReady(_ path: String, ended: ExitRecord) async throws -> Ready {
        // Under a second here; far more on a loaded machine.
        try await waitUntil(timeout: .seconds(120), polling: .milliseconds(50)) {
            FileManager.default.fileExists(atPath: path) || ended.result != nil
        }
        if let data = FileManager.default.contents(atPath: path) { return try JSONDecoder().decode(Ready.self, from: data) }
        if let result = ended.result {
            throw CLIProcessError(message: "dot_server.py exited (status \(result.status)) before it was ready")
        }
        throw CLIProcessError(message: "dot_server.py was not ready within 120 s")
    }
}

/// How the server process ended, once it has.
final class ExitRecord: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: (status: Int32, output: String)?

    func record(_ result: (status: Int32, output: String)) { lock.withLock { value = result } }
    var result: (status: Int32, output: String)? { lock.withLock { value } }
}
