import Crypto
import Foundation
import Testing

@testable import PDSDevServer

@Suite struct ConsentPageTests {
    @Test func consentPageNamesTheAppAndOffersApproveAndDeny() async throws {
        try await Fixture().test { client in
            let response = try await client.authorize(Client.authorizeFields())
            #expect(response.status == .ok)
            let html = response.bodyText
            #expect(html.hasPrefix("<!doctype html>"), "the template comment renders nothing")
            for expected in [
                #"id="app-name">Web App<"#, #"id="approve""#, #"id="deny""#, #"<select id="user""#,
                #"<form method="post" action="/v2/oauth/authorize/decision">"#, Fixture.domainID,
                Fixture.webClientID, "FILE.ALL", Fixture.redirectURI, #"value="user-1" selected"#, "Alice",
            ] {
                #expect(html.contains(expected), "page lacks \(expected)")
            }
            let pendingID = try Page.pendingID(in: html)
            #expect(pendingID.count >= 43, "the pending id carries at least 256 bits")
            #expect(!html.lowercased().contains("<script"))
        }
    }

    @Test func pageCarriesTheSecurityHeaders() async throws {
        try await Fixture().test { client in
            let response = try await client.authorize(Client.authorizeFields())
            #expect(response.header("Referrer-Policy") == "no-referrer")
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("X-Frame-Options") == "DENY")
            #expect(response.header("x-ca-request-id") != nil)
            let csp = try #require(response.header("Content-Security-Policy"), "CSP")
            #expect(csp.contains("default-src 'none'"))
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(csp.contains("form-action 'self' http://127.0.0.1:3000"))
            #expect(!csp.contains("script-src"))
            // The inline stylesheet is admitted by exactly its own hash.
            let style = try #require(try #/<style>(.*?)</style>/#.dotMatchesNewlines().firstMatch(in: response.bodyText), "style").1
            let hash = Data(SHA256.hash(data: Array(style.utf8))).base64EncodedString()
            #expect(csp.contains("style-src 'sha256-\(hash)'"))
        }
    }

    @Test func dynamicValuesAreEscaped() async throws {
        let fixture = try Fixture {
            $0.apps[0].name = #"<script>alert("app")</script>"#
            $0.users[0] = DevUser(userID: #"u"><img src=x>"#, userName: "<b>bold</b>", nickName: "O'Neil & co")
        }
        try await fixture.test { client in
            let html = try await client.authorize(Client.authorizeFields()).bodyText
            #expect(html.contains("&lt;script&gt;alert(&quot;app&quot;)&lt;/script&gt;"))
            #expect(html.contains(#"value="u&quot;&gt;&lt;img src=x&gt;""#))
            #expect(html.contains("O&#39;Neil &amp; co (&lt;b&gt;bold&lt;/b&gt;"))
            #expect(!html.contains("<script>"))
            #expect(!html.contains("<img"))
        }
    }

    @Test func redirectOriginForCSPRefusesUnsafeCharacters() {
        #expect(ConsentPage.origin(of: "http://127.0.0.1:3000/cb?x=1") == "http://127.0.0.1:3000")
        #expect(ConsentPage.origin(of: "https://user@example.com/cb") == "https://example.com")
        #expect(ConsentPage.origin(of: "http://[::1]:8/cb") == "http://[::1]:8")
        #expect(ConsentPage.origin(of: "http://a;script-src *") == nil)
        #expect(ConsentPage.origin(of: "javascript://x") == nil)
    }
}
