import Foundation
import HTTPTypes
import Hummingbird
import PDSAuthTestSupport
import PDSShared
import Testing

@testable import PDSAuth

/// The listener and `LoginFlow` together, over real loopback sockets: a fake token endpoint
/// records every code it is asked to exchange, and the test plays the browser (or another
/// local user, or a hostile page).
@Suite struct ListenerTests {
    /// Runs a sign-in against a token endpoint that answers `tokenBody` and records codes.
    static func signIn(
        tokenBody: String = #"{"access_token":"at-0123456789abcdef","expires_in":3600,"user_name":"alice"}"#,
        waitTimeout: Duration = .seconds(30),
        _ browser: @escaping @Sendable (Session) async throws -> Void
    ) async throws -> (Result<LoginResult, PDSAuthError>, [String]) {
        let codes = LockedValue<[String]>([])
        let result = try await TestServer.run({ request in
            var request = request
            let fields = Dictionary(FormEncoding.decode(String(buffer: try await request.collectBody(upTo: 65536))), uniquingKeysWith: { a, _ in a })
            codes.update { $0.append(fields["code"] ?? "") }
            return TestServer.json(.ok, tokenBody)
        }) { server in
            let harness = try LoginHarness(
                endpoint: server.baseURL, store: CredentialStore(directory: TemporaryDirectory().path), waitTimeout: waitTimeout)
            return try await harness.run { startURL in try await browser(try await Session(startURL: startURL)) }
        }
        return (result, codes.value)
    }

    /// What the browser knows once it has the start page: the listener's origin, the state.
    struct Session: Sendable {
        let startURL: String
        let origin: String
        let state: String
        let redirectURI: String

        init(startURL: String) async throws {
            self.startURL = startURL
            origin = String(startURL.prefix { $0 != "?" }.dropLast())
            let query = LoginHarness.authorizeQuery(startPage: try await ScriptedBrowser().get(startURL).html)
            state = try #require(query["state"])
            redirectURI = try #require(query["redirect_uri"])
        }

        func get(_ pathAndQuery: String, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
            try await CurlClient().send(
                HTTPClientRequest(url: URL(string: origin + pathAndQuery)!, headerFields: HTTPFields(lines: headers)))
        }

        /// Finishes the sign-in with the right state and `code`.
        func complete(code: String = "the-code") async throws -> HTTPClientResponse {
            try await get("/callback?code=\(code)&state=" + FormEncoding.escape(state))
        }
    }

    static func html(_ response: HTTPClientResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func theStartPageOpensOnlyWithThisRunsKey() async throws {
        let (result, _) = try await Self.signIn { session in
            for path in ["/", "/?key=", "/?key=wrong", "/callback", "/?key=" + String(repeating: "k", count: 9000)] {
                let locked = try await session.get(path)
                #expect(locked.status == 403 || locked.status == 400, "\(path)")
                #expect(!Self.html(locked).contains(session.state) && !Self.html(locked).contains("authorize?"), "\(path) reveals nothing")
            }
            let plain = try await session.get("/")
            #expect(Self.html(plain).contains("Use the link printed in your terminal"))
            let open = try await ScriptedBrowser().get(session.startURL)
            #expect(open.status == 200 && open.html.contains(session.state))
            _ = try await session.complete()
        }
        _ = try result.get()
    }

    @Test func unknownPathsAre404AndTheFlowKeepsWaiting() async throws {
        let (result, codes) = try await Self.signIn { session in
            for path in ["/favicon.ico", "/robots.txt", "/callback/extra", "/../etc/passwd"] {
                let response = try await session.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response[header: "content-security-policy"]?.contains("default-src 'none'") == true)
            }
            _ = try await session.complete()
        }
        #expect(try result.get().profile.accessToken == "at-0123456789abcdef")
        #expect(codes == ["the-code"])
    }

    @Test func securityHeadersOnEveryPage() async throws {
        let (result, _) = try await Self.signIn { session in
            for path in ["/", "/nope", "/callback?code=x&state=wrong"] {
                let response = try await session.get(path)
                #expect(response[header: "referrer-policy"] == "no-referrer", "\(path)")
                #expect(response[header: "cache-control"] == "no-store")
                #expect(response[header: "x-content-type-options"] == "nosniff")
                #expect(response[header: "x-frame-options"] == "DENY")
                #expect(response[header: "content-security-policy"]?.contains("frame-ancestors 'none'") == true)
            }
            _ = try await session.complete()
        }
        _ = try result.get()
    }

    /// Another local user or a web page sends redirects without this sign-in's state: each is
    /// refused with a page, nothing is exchanged, and the real redirect still signs in.
    @Test func redirectsWithoutThisSignInsStateAreRefusedAndTheWaitGoesOn() async throws {
        let (result, codes) = try await Self.signIn { session in
            for query in [
                "code=forged", "code=forged&state=wrong", "code=forged&state=" + FormEncoding.escape(String(session.state.dropLast())),
                "error=access_denied", "error=x&error_description=gone", "state=", "code=forged&state=" + FormEncoding.escape(session.state + "x"),
            ] {
                let response = try await session.get("/callback?" + query)
                #expect(response.status == 400, "\(query)")
                #expect(
                    Self.html(response).contains("Not this sign-in") && Self.html(response).contains("no code was exchanged")
                        || query.hasPrefix("error"))
            }
            let page = try await session.complete()
            #expect(page.status == 200 && Self.html(page).contains("Signed in"))
            // A second redirect after the sign-in is refused, or finds the listener closed.
            if let late = try? await session.complete(code: "late") {
                #expect(late.status == 410 && Self.html(late).contains("has ended"))
            }
        }
        #expect(try result.get().profile.user?.userName == "alice")
        #expect(codes == ["the-code"], "only the redirect with the right state was exchanged")
    }

    @Test func theProvidersErrorWithTheRightStateEndsTheSignIn() async throws {
        let (result, codes) = try await Self.signIn { session in
            let description = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%1B%5B31m"
            let response = try await session.get(
                "/callback?error=access_denied&error_description=\(description)&state=" + FormEncoding.escape(session.state))
            let html = Self.html(response)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"))
            #expect(html.contains("Sign-in denied"))
        }
        #expect(codes.isEmpty)
        guard case .failure(let error) = result else {
            Issue.record("expected the provider's refusal")
            return
        }
        #expect(error.code == .authorizationDenied && error.providerError == "access_denied")
        #expect(!error.description.contains("\u{1B}"), "no ANSI escapes reach the terminal")
    }

    /// A redirect carrying `code` (or `state`) twice: the first occurrence wins, as
    /// documented, so a parameter appended to a genuine redirect cannot replace its code.
    @Test func aRepeatedParameterCannotReplaceTheFirst() async throws {
        let (result, codes) = try await Self.signIn { session in
            let state = FormEncoding.escape(session.state)
            let page = try await session.get("/callback?code=the-code&state=\(state)&code=appended&state=other")
            #expect(page.status == 200, "\(Self.html(page))")
        }
        #expect(codes == ["the-code"])
        #expect(throws: Never.self) { try result.get() }
        #expect(
            CallbackParameters(query: "state=s&code=a&code=b&state=t&error=x&error=y")
                == CallbackParameters(code: "a", state: "s", error: "x"))
    }

    @Test func theRightStateWithoutACodeEndsTheSignInAsUnusable() async throws {
        let (result, codes) = try await Self.signIn { session in
            _ = try await session.get("/callback?state=" + FormEncoding.escape(session.state))
        }
        #expect(codes.isEmpty)
        #expect { try result.get() } throws: { ($0 as? PDSAuthError)?.code == .redirectUnusable }
    }

    /// What the browser is refused on the wire, before Hummingbird: other methods, bodies
    /// (announced or chunked), a duplicate Host; and what the responder refuses: another Host.
    @Test func onlyBodilessGETAndHEADAddressedToUsAreServed() async throws {
        let (result, codes) = try await Self.signIn { session in
            let callback = "/callback?code=evil&state=" + FormEncoding.escape(session.state)
            let port = URL(string: session.origin)!.port!
            func raw(_ text: String) async -> String {
                guard let connection = RawConnection(port: port) else { return "no connection" }
                connection.send(Array(text.utf8))
                return await connection.firstReply(within: 3000) ?? "silence"
            }
            #expect(await raw("POST \(callback) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 1\r\n\r\nx").hasPrefix("HTTP/1.1 405"))
            #expect(await raw("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 100000000\r\n\r\nx").hasPrefix("HTTP/1.1 413"))
            #expect(await raw("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n").hasPrefix("HTTP/1.1 413"))
            #expect(await raw("GET \(callback) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nHost: evil.example\r\n\r\n").hasPrefix("HTTP/1.1 400"))
            #expect(await raw("GET \(callback) HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 400"), "no Host at all")
            // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own name.
            let foreign = try await session.get(callback, headers: [("Host", "evil.example:\(port)")])
            #expect(foreign.status == 421)
            let otherPort = try await session.get("/", headers: [("Host", "127.0.0.1:\(port + 1)")])
            #expect(otherPort.status == 421)
            let viaName = try await session.get("/?key=x", headers: [("Host", "localhost:\(port)")])
            #expect(viaName.status == 403, "localhost names us too")
            _ = try await session.complete()
        }
        _ = try result.get()
        #expect(codes == ["the-code"], "none of the refused requests reached the flow")
    }

    /// A request line over the decoder's 8 KiB limit never reaches the flow: 400, closed.
    @Test func anOverlongRedirectIsRefused() async throws {
        let (result, _) = try await Self.signIn { session in
            let response = try await session.get(
                "/callback?state=x&code=" + String(repeating: "a", count: 7000) + "&e=" + String(repeating: "b", count: 1300))
            #expect(response.status == 400 && Self.html(response).contains("too long"))
            _ = try await session.complete()
        }
        _ = try result.get()
    }

    @Test func pagesRenderWithHashedInlineAssetsOnly() throws {
        let pages = try LoginPages()
        let html = pages.renderer.render("problem", ["title": "T", "message": "<img src=x onerror=alert(1)>"])
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        let policy = pages.policy.description
        #expect(policy.contains("script-src 'sha256-") && policy.contains("default-src 'none'") && !policy.contains("unsafe-inline"))
        // The hashes in the CSP are the hashes of exactly what is inlined.
        let style = try #require(PageRenderer.publicFile("style.css"))
        let script = try #require(PageRenderer.publicFile("token.js"))
        #expect(html.contains("<style>\(style)</style>"))
        #expect(policy.contains(PageRenderer.digest(style)) && policy.contains(PageRenderer.digest(script)))
    }
}
