import Foundation
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

@Suite struct EndpointTests {
    @Test func defaultsToPerDomainHost() throws {
        let endpoints = try ProviderEndpoints.resolve(endpoint: nil, domainID: "bj1")
        #expect(endpoints.authorizeURL.absoluteString == "https://bj1.api.aliyunpds.com/v2/oauth/authorize")
        #expect(endpoints.tokenURL.absoluteString == "https://bj1.api.aliyunpds.com/v2/oauth/token")
    }

    @Test func overridesPathsAndURLs() throws {
        let endpoints = try ProviderEndpoints.resolve(endpoint: "https://idp.example/base/", domainID: nil,
                                                      authorize: "/oauth2/auth", token: "https://other.example/token")
        #expect(endpoints.authorizeURL.absoluteString == "https://idp.example/base/oauth2/auth")
        #expect(endpoints.tokenURL.absoluteString == "https://other.example/token")
    }

    @Test func refusesPlainHTTPUnlessLoopback() throws {
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: "http://example.com", domainID: nil) }
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: "http://10.0.0.1:80", domainID: nil) }
        _ = try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:8780", domainID: nil)
        _ = try ProviderEndpoints.resolve(endpoint: "http://[::1]:8780", domainID: nil)
        _ = try ProviderEndpoints.resolve(endpoint: "http://localhost:8780", domainID: nil)
    }

    @Test func rejectsMissingOrBadInput() {
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: nil, domainID: nil) }
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: nil, domainID: "bad/host") }
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: "ftp://x", domainID: nil) }
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.resolve(endpoint: "https://u:p@x.example", domainID: nil) }
    }

    @Test func redirectTargets() throws {
        let target = try RedirectTarget(parsing: "http://127.0.0.1:8765/callback")
        #expect(target.host == "127.0.0.1" && target.port == 8765 && target.path == "/callback")
        let v6 = try RedirectTarget(parsing: "http://[::1]:3000")
        #expect(v6.host == "::1" && v6.port == 3000 && v6.path == "/")
        #expect(v6.startPageURL == "http://[::1]:3000/")
        for bad in ["not a url", "https://127.0.0.1:1/cb", "http://example.com:8765/cb", "http://192.168.1.2:1/", "http://127.0.0.1:1/#frag"] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try RedirectTarget(parsing: bad) }
        }
    }

    @Test func loopbackHosts() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"] { #expect(LoopbackHost.isLoopback(host), "\(host)") }
        for host in ["128.0.0.1", "example.com", "127.0.0.1.example.com", "0.0.0.0", "::"] { #expect(!LoopbackHost.isLoopback(host), "\(host)") }
    }

    @Test func caBundleOrder() {
        #expect(TransportOptions.caBundle(flag: "a", environment: ["CURL_CA_BUNDLE": "b", "SSL_CERT_FILE": "c"]) == "a")
        #expect(TransportOptions.caBundle(flag: nil, environment: ["CURL_CA_BUNDLE": "b", "SSL_CERT_FILE": "c"]) == "b")
        #expect(TransportOptions.caBundle(flag: nil, environment: ["SSL_CERT_FILE": "c"]) == "c")
        #expect(TransportOptions.caBundle(flag: nil, environment: [:]) == nil)
    }

    @Test func storeLocation() throws {
        #expect(try StoreLocation.directory(environment: ["PDS_AUTH_HOME": "/a", "XDG_CONFIG_HOME": "/b", "HOME": "/c"]) == "/a")
        #expect(try StoreLocation.directory(environment: ["XDG_CONFIG_HOME": "/b", "HOME": "/c"]) == "/b/pds-auth")
        #expect(try StoreLocation.directory(environment: ["HOME": "/c"]) == "/c/.config/pds-auth")
        #expect(throws: PDSAuthError.self) { try StoreLocation.directory(environment: [:]) }
    }
}
