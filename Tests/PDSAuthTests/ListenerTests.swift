import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

/// The listener's routes, driven in-process through HummingbirdTesting.
@Suite struct ListenerTests {
    final class Exchanges: Sendable {
        let codes = LockedValue<[String]>([])
    }

    static func app(port: Int = 80, exchanges: Exchanges = Exchanges(),
                    result: Result<LoginResult, PDSAuthError>? = nil) throws -> (some ApplicationProtocol, LoginSession) {
        let pages = try PageRenderer()
        let session = LoginSession(expectedState: "the-state", pages: pages) { code in
            exchanges.codes.update { $0.append(code) }
            return result ?? .failure(PDSAuthError(.tokenRejected, code: "InvalidParameter.Code", "refused <b>bold</b>"))
        }
        session.setBoundPort(port)
        session.setStartPage("<p>start</p>")
        let target = try RedirectTarget(parsing: "http://127.0.0.1:\(port)/callback")
        return (Application(responder: ListenerResponder(target: target, pages: pages, session: session)), session)
    }

    /// HummingbirdTesting's router framework addresses every request to `localhost`.
    static let host: HTTPFields = [:]

    func firstOutcome(_ session: LoginSession) async -> Result<LoginResult, PDSAuthError>? {
        for await outcome in session.outcome { return outcome }
        return nil
    }

    @Test func unknownPathsAre404AndTheFlowKeepsWaiting() async throws {
        let (app, session) = try Self.app()
        try await app.test(.router) { client in
            for path in ["/favicon.ico", "/robots.txt", "/callback/extra", "/../etc/passwd"] {
                try await client.execute(uri: path, method: .get, headers: Self.host) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                }
            }
            try await client.execute(uri: "/", method: .get, headers: Self.host) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "<p>start</p>")
            }
        }
        session.finish(.failure(PDSAuthError(.timedOut, code: "t", "t")))
        if case .failure(let error)? = await firstOutcome(session) { #expect(error.code == "t", "no earlier outcome was recorded") }
    }

    @Test func securityHeadersOnEveryPage() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            for path in ["/", "/nope"] {
                try await client.execute(uri: path, method: .get, headers: Self.host) { response in
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                }
            }
        }
    }

    @Test(arguments: [
        ("/callback?code=abc", "state_missing"),
        ("/callback?code=abc&state=wrong", "state_mismatch"),
        ("/callback?code=abc&state=the-stat", "state_mismatch"),
    ])
    func badStateMeansNoExchange(uri: String, code: String) async throws {
        let exchanges = Exchanges()
        let (app, session) = try Self.app(exchanges: exchanges)
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: Self.host) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("no code was exchanged"))
            }
        }
        #expect(exchanges.codes.value.isEmpty)
        guard case .failure(let error)? = await firstOutcome(session) else { Issue.record("no outcome"); return }
        #expect(error.code == code && error.status == .callbackRejected)
    }

    @Test func replayedStateIsRefused() async throws {
        let exchanges = Exchanges()
        let (app, _) = try Self.app(exchanges: exchanges)
        try await app.test(.router) { client in
            try await client.execute(uri: "/callback?code=one&state=the-state", method: .get, headers: Self.host) { response in
                #expect(response.status == .ok)
                // Error text from the exchange is escaped, never interpreted as markup.
                #expect(String(buffer: response.body).contains("refused &lt;b&gt;bold&lt;/b&gt;"))
            }
            try await client.execute(uri: "/callback?code=two&state=the-state", method: .get, headers: Self.host) { response in
                #expect(response.status == .conflict)
            }
        }
        #expect(exchanges.codes.value == ["one"])
    }

    @Test func providerErrorRedirect() async throws {
        let exchanges = Exchanges()
        let (app, session) = try Self.app(exchanges: exchanges)
        try await app.test(.router) { client in
            let uri = "/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E%1B%5B31m&state=the-state"
            try await client.execute(uri: uri, method: .get, headers: Self.host) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"))
            }
        }
        #expect(exchanges.codes.value.isEmpty)
        guard case .failure(let error)? = await firstOutcome(session) else { Issue.record("no outcome"); return }
        #expect(error.status == .authorizationDenied && error.code == "access_denied")
        #expect(!error.message.contains("\u{1B}"), "no ANSI escapes reach the terminal")
    }

    @Test func otherMethodsAreRefused() async throws {
        let exchanges = Exchanges()
        let (app, _) = try Self.app(exchanges: exchanges)
        try await app.test(.router) { client in
            try await client.execute(uri: "/callback?code=a&state=the-state", method: .post, headers: Self.host) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
        #expect(exchanges.codes.value.isEmpty)
    }

    /// DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends `Host: evil.example`.
    @Test func foreignHostIsRefusedOnTheWire() async throws {
        let pages = try PageRenderer()
        let exchanges = Exchanges()
        let session = LoginSession(expectedState: "s", pages: pages) { code in
            exchanges.codes.update { $0.append(code) }
            return .failure(PDSAuthError(.tokenRejected, code: "x", "x"))
        }
        session.setStartPage("start")
        let target = try RedirectTarget(parsing: "http://127.0.0.1:0/callback")
        let server = try await ListenerServer.start(host: "127.0.0.1", port: 0, responder: ListenerResponder(target: target, pages: pages, session: session), logger: .init(label: "t"))
        session.setBoundPort(server.port)
        let url = URL(string: "http://127.0.0.1:\(server.port)/callback?code=a&state=s")!
        let foreign = try await CurlClient().send(HTTPClientRequest(method: .get, url: url, headers: [("Host", "evil.example:\(server.port)")]))
        #expect(foreign.status == 421)
        let own = try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://127.0.0.1:\(server.port)/")!))
        #expect(own.status == 200)
        let viaName = try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://127.0.0.1:\(server.port)/")!, headers: [("Host", "localhost:\(server.port)")]))
        #expect(viaName.status == 200)
        await server.stop()
        #expect(exchanges.codes.value.isEmpty)
    }

    @Test func oversizedQueryIsRefused() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            let uri = "/callback?state=the-state&code=" + String(repeating: "a", count: 9000)
            try await client.execute(uri: uri, method: .get, headers: Self.host) { response in
                #expect(response.status == .uriTooLong)
            }
        }
    }

    @Test func pagesRenderWithHashedInlineAssetsOnly() throws {
        let pages = try PageRenderer()
        let html = pages.render("problem", ["title": "T", "message": "<img src=x onerror=alert(1)>"])
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(pages.contentSecurityPolicy.contains("script-src 'sha256-"))
        #expect(!pages.contentSecurityPolicy.contains("unsafe-inline"))
        // The style hash in the CSP is the hash of exactly what is inlined.
        let style = String(decoding: PublicAssets.files["style.css"]!, as: UTF8.self)
        #expect(html.contains("<style>\(style)</style>"))
        #expect(pages.contentSecurityPolicy.contains(PageRenderer.hash(style)))
    }
}
