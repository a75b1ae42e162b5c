import Foundation
import Testing

@testable import PDSAuth

/// `ProxyChoice`: which proxy, if any, a request goes through.
@Suite struct ProxyChoiceTests {
    static func choose(_ url: String, _ environment: [String: String]) -> ProxyChoice {
        ProxyChoice.choose(for: URL(string: url)!, environment: environment)
    }

    @Test func loopbackAndPlainHTTPAreAlwaysDirect() {
        let all = ["https_proxy": "http://p:1", "all_proxy": "http://p:1", "ALL_PROXY": "http://p:1"]
        for url in ["http://127.0.0.1:8780/x", "https://127.0.0.1/x", "http://localhost:1/", "https://[::1]:443/", "http://127.7.7.7/"] {
            #expect(Self.choose(url, all).proxy == nil, "\(url)")
        }
    }

    /// Plain http to another host is refused before any transfer (`CurlClient.checkScheme`);
    /// ProxyChoice never offers it a proxy either, so the secrets it would carry cannot reach
    /// one even if that refusal were lost.
    @Test func plainHTTPToAnotherHostIsNeverProxied() {
        let all = ["https_proxy": "http://p:1", "all_proxy": "http://p:1", "ALL_PROXY": "http://p:1", "http_proxy": "http://p:1"]
        for url in ["http://192.0.2.1/x", "http://pds.example/x", "HTTP://PDS.EXAMPLE/x"] {
            #expect(Self.choose(url, all) == ProxyChoice(proxy: nil, reason: "plain http: never through a proxy"), "\(url)")
        }
    }

    @Test func httpsTakesTheVariablesInCurlsOrder() {
        #expect(
            Self.choose("https://a.example", ["https_proxy": "http://one:1", "HTTPS_PROXY": "http://two:2"])
                == ProxyChoice(proxy: "http://one:1", reason: "https_proxy"))
        #expect(Self.choose("https://a.example", ["HTTPS_PROXY": "http://two:2", "all_proxy": "http://three:3"]).reason == "HTTPS_PROXY")
        #expect(Self.choose("https://a.example", ["ALL_PROXY": "socks5://four:4"]).proxy == "socks5://four:4")
        #expect(
            Self.choose("https://a.example", ["http_proxy": "http://plain:1", "HTTP_PROXY": "http://plain:1"]).proxy == nil,
            "http_proxy is for http, which pds-auth sends only to loopback")
        #expect(Self.choose("https://a.example", ["https_proxy": ""]).proxy == nil)
    }

    @Test func noProxyExceptions() {
        let proxy = ["https_proxy": "http://p:1"]
        func direct(_ host: String, _ list: String) -> Bool {
            Self.choose("https://\(host)/x", proxy.merging(["no_proxy": list]) { $1 }).proxy == nil
        }
        #expect(direct("a.example", "*"))
        #expect(direct("a.example", "a.example") && direct("b.a.example", "a.example") && direct("b.a.example", ".a.example"))
        #expect(!direct("xa.example", "a.example"), "a suffix match is on a dot boundary")
        #expect(direct("10.1.2.3", "10.0.0.0/8") && !direct("11.1.2.3", "10.0.0.0/8") && direct("10.1.2.3", " 10.1.2.3 "))
        #expect(!direct("a.example", "b.example, c.example") && direct("A.EXAMPLE", "a.example"))
        #expect(Self.choose("https://a.example/x", proxy.merging(["NO_PROXY": "a.example"]) { $1 }).proxy == nil)
    }

    @Test func theShownProxyHasNoCredentials() {
        #expect(
            ProxyChoice(proxy: "http://user:pw@p.example:3128", reason: "https_proxy").shown == "via proxy http://p.example:3128 (from https_proxy)")
        #expect(ProxyChoice(proxy: "p.example:3128", reason: "all_proxy").shown == "via proxy http://p.example:3128 (from all_proxy)")
    }
}
