import Foundation
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Discovery, the mix-up defence and the device grant against django-oauth-toolkit: its
/// RFC 8414 metadata (the issuer `…/o`, found at the RFC 8414 §3.1 address), its RFC 9207
/// `iss` on redirects (the RFC 9700 gates on), its RFC 9728 resource metadata, and its RFC
/// 8628 device endpoints, where the test plays the user on DOT's own device pages.
extension DjangoOAuthToolkitTests {
    @Test func theIssuerAloneSignsInAndMixUpsAreRefused() async throws {
        try await DjangoOAuthToolkit.withRunning(rfc9700: true) { dot in
            let home = TemporaryDirectory()
            let issuer = dot.base + "/o"
            let login = CLIProcess(
                [
                    "login", "--no-browser", "--issuer", issuer, "--client-id", dot.ready.public.client_id,
                    "--redirect-uri", "http://127.0.0.1:0/callback", "--profile", "dot",
                ],
                environment: ["PDS_AUTH_HOME": home.path])
            try login.start()
            let startURL = try await login.waitForStderr(RemoteLoginCLITests.startLine)
            let browser = ScriptedBrowser()
            let authorizeURL = try #require(ScriptedBrowser.link(id: "login", in: try await browser.get(startURL).html))
            #expect(authorizeURL.hasPrefix(dot.base + "/o/authorize/?"), "the authorization endpoint from DOT's metadata: \(authorizeURL)")
            let authorize = DjangoOAuthToolkit.query(authorizeURL)
            let callback = try #require(authorize["redirect_uri"])
            let state = try #require(authorize["state"])

            // A second, hostile server the user was sent to answers like an authorization
            // server would: a valid-looking code, this sign-in's state, and its own iss.
            let hostile = try await TestServer.run({ request in
                let port = request.head.authority?.split(separator: ":").last ?? ""
                let location =
                    callback + "?" + FormEncoding.encode([("code", "hostile-code-4242"), ("state", state), ("iss", "http://127.0.0.1:\(port)/o")])
                return Response(status: .found, headers: [.location: location])
            }) { server in
                try await browser.get(server.baseURL + "/o/authorize/?" + (URL(string: authorizeURL)?.query ?? ""))
            }
            let refused = try await browser.get(try #require(hostile.location))
            #expect(refused.status == 400 && refused.html.contains("another server"), "\(refused.status) \(refused.html.prefix(300))")
            _ = try await login.waitForStderr("iss names another issuer")
            // Notes for refused browser requests come at most once a second: that second must
            // pass before the next note can be seen, so this sleep stays.
            try await Task.sleep(for: .milliseconds(1100))
            // The same code and state without any iss, where DOT advertises it.
            let missing = try await browser.get(callback + "?" + FormEncoding.encode([("code", "no-iss-code-4242"), ("state", state)]))
            #expect(missing.status == 400 && missing.html.contains("no iss"), "\(missing.status)")
            _ = try await login.waitForStderr("no iss from an issuer that sends one")

            // DOT's own redirect, with DOT's iss, signs in.
            let answer = try await browser.get(authorizeURL)
            let back = try #require(answer.location)
            #expect(DjangoOAuthToolkit.query(back)["iss"] == issuer, "DOT names itself: \(back)")
            let finished = try await browser.get(back)
            #expect(try await login.wait() == 0, "\(login.stderr)\n\(dot.log)")
            #expect(finished.html.contains("Signed in"))
            #expect(!dot.fullLog.contains("hostile-code") && !dot.fullLog.contains("no-iss-code"), "a refused code never reaches any token endpoint")

            let profile = try #require(try CredentialStore(directory: home.path).profile("dot"))
            #expect(profile.endpoints.issuer == issuer && profile.endpoints.issParameterSupported && profile.endpoints.flavor == .generic)
            #expect(
                profile.endpoints.tokenURL.absoluteString == dot.base + "/o/token/"
                    && profile.endpoints.revokeURL?.absoluteString == dot.base + "/o/revoke_token/")
            let environment = ["PDS_AUTH_HOME": home.path]
            let status = try await CLIProcess.run(["status"], environment: environment)
            #expect(status.stdout.contains("issuer       \(issuer)"), "\(status.stdout)")
            let json = try await CLIProcess.run(["status", "--json"], environment: environment)
            #expect(json.stdout.contains(#""issuer":"\#(issuer)""#), "\(json.stdout)")
            // Pinned: refresh and revoke go to the endpoints the metadata named at sign-in.
            let refresh = try await CLIProcess.run(["refresh"], environment: environment)
            #expect(refresh.status == 0, "\(refresh.stderr)")
            #expect(dot.fullLog.components(separatedBy: "POST /o/token/ body=grant_type=refresh_token").count - 1 == 1, "\(dot.log)")
            let logout = try await CLIProcess.run(["logout", "--revoke"], environment: environment)
            #expect(logout.status == 0 && dot.fullLog.contains("POST /o/revoke_token/"), "\(logout.stderr)")
        }
    }

    /// The user at DOT's device pages: enters the code, then approves or denies it.
    static func playDeviceUser(_ dot: DjangoOAuthToolkit, userCode: String, action: String) async throws -> ScriptedBrowser.Page {
        let browser = ScriptedBrowser()
        let entered = try await browser.post(dot.base + "/o/device/", form: [("user_code", userCode)])
        guard entered.status == 302, let confirm = entered.location else { return entered }
        return try await browser.post(dot.base + confirm, form: [("action", action)])
    }

    static func deviceLogin(_ dot: DjangoOAuthToolkit, home: TemporaryDirectory) throws -> CLIProcess {
        let login = CLIProcess(
            [
                "login", "--device", "--issuer", dot.base + "/o", "--device-url", dot.base + "/o/device-authorization/",
                "--client-id", dot.ready.device.client_id, "--profile", "tv", "--timeout", "60",
            ],
            environment: ["PDS_AUTH_HOME": home.path])
        try login.start()
        return login
    }

    static let userCodeLine = #"enter the code (\S+)"#

    @Test func deviceSignInIsApprovedDeniedOrExpires() async throws {
        try await DjangoOAuthToolkit.withRunning { dot in
            // Approved: the user enters the code on DOT's page and accepts.
            let home = TemporaryDirectory()
            let approved = try Self.deviceLogin(dot, home: home)
            let code = try await approved.waitForStderr(Self.userCodeLine)
            #expect(approved.stderr.contains("open \(dot.base)/o/device/ on any device"), "\(approved.stderr)")
            #expect(approved.stderr.contains("or open \(dot.base)/o/device/?user_code=\(code)"))
            #expect(approved.stderr.contains("Never enter a code that someone else sent you"), "the phishing warning")
            let accepted = try await Self.playDeviceUser(dot, userCode: code, action: "accept")
            #expect(accepted.status == 302, "\(accepted.status) \(accepted.html.prefix(300))")
            #expect(try await approved.wait() == 0, "\(approved.stderr)\n\(dot.log)")
            let profile = try #require(try CredentialStore(directory: home.path).profile("tv"))
            #expect(profile.grant == .deviceCode && profile.refreshToken != nil && profile.endpoints.issuer == dot.base + "/o")
            #expect(try await dot.whoAmI(profile.accessToken) == 200)
            let refresh = try await CLIProcess.run(["refresh", "--profile", "tv"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(refresh.status == 0, "a device sign-in refreshes like any other: \(refresh.stderr)")

            // Denied: exit 5, nothing saved.
            let deniedHome = TemporaryDirectory()
            let denied = try Self.deviceLogin(dot, home: deniedHome)
            _ = try await Self.playDeviceUser(dot, userCode: try await denied.waitForStderr(Self.userCodeLine), action: "deny")
            #expect(try await denied.wait() == 5, "\(denied.stderr)")
            #expect(denied.stderr.contains("access_denied"))
            #expect(try CredentialStore(directory: deniedHome.path).profile("tv") == nil, "nothing saved")

            // Expired: DOT gives every code 1800 s, so the code's expiry is moved into the past
            // in DOT's database; the user then enters it, DOT marks it expired, and the next
            // poll answers expired_token: exit 12.
            let expiredHome = TemporaryDirectory()
            let expired = try Self.deviceLogin(dot, home: expiredHome)
            let expiredCode = try await expired.waitForStderr(Self.userCodeLine)
            try await dot.expireDeviceCode(expiredCode)
            let late = try await Self.playDeviceUser(dot, userCode: expiredCode, action: "accept")
            #expect(late.status == 200 && late.html.contains("Expired user code"), "\(late.status) \(late.html.prefix(300))")
            #expect(try await expired.wait() == 12, "\(expired.stderr)\n\(dot.log)")
            #expect(expired.stderr.contains("expired before the sign-in was approved"))
        }
    }

    /// `api` on a resource that answers 401 with RFC 9728 metadata naming the profile's
    /// issuer: the token is renewed at that issuer and the call repeated.
    @Test func apiFollowsRFC9728MetadataToTheProfilesIssuer() async throws {
        try await DjangoOAuthToolkit.withRunning(rfc9700: true) { dot in
            let home = TemporaryDirectory()
            let signIn = try await dot.signIn(dot.client(.public), home: home, issuer: true)
            #expect(signIn.status == 0, "\(signIn.stderr)\n\(dot.log)")
            let store = CredentialStore(directory: home.path)
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["dot"]?.accessToken = "not-a-token-dot-knows-0123456789"
            }
            let call = try await CLIProcess.run(["api", "-X", "GET", "/api/whoami-rfc9728"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(call.status == 0 && call.stdout.contains("interop-user"), "\(call.stdout)\(call.stderr)\n\(dot.log)")
            #expect(dot.fullLog.contains("GET /.well-known/oauth-protected-resource"), "the resource metadata was read")
            #expect(dot.fullLog.components(separatedBy: "grant_type=refresh_token").count - 1 == 1, "renewed once, at DOT")
        }
    }
}

extension DjangoOAuthToolkit {
    /// The whole server log (`log` keeps only its end, for messages).
    var fullLog: String { (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? "" }

    /// Moves a device code's expiry into the past in DOT's database.
    func expireDeviceCode(_ userCode: String) async throws {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            changed = db.execute("UPDATE oauth2_provider_devicegrant SET expires = '2000-01-01 00:00:00' WHERE user_code = ?", (sys.argv[2],)).rowcount
            db.commit()
            sys.exit(0 if changed == 1 else 1)
            """
        let result = try await ChildTool.run(DjangoOAuthToolkit.python, ["-c", script, directory.file("data/dot.sqlite3"), userCode])
        guard result.status == 0 else { throw CLIProcessError(message: "could not expire the device code: \(result.output)") }
    }
}
