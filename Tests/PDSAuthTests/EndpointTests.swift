import Foundation
import PDSTestVectors
import Testing

@testable import PDSAuth

@Suite struct EndpointTests {
    @Test func defaultsToPerDomainHost() throws {
        let endpoints = try ProviderEndpoints.resolve(endpoint: nil, domainID: "bj1")
        #expect(endpoints.flavor == .pds)
        #expect(endpoints.authorizeURL.absoluteString == "https://bj1.api.aliyunpds.com/v2/oauth/authorize")
        #expect(endpoints.tokenURL.absoluteString == "https://bj1.api.aliyunpds.com/v2/oauth/token")
        #expect(endpoints.revokeURL?.absoluteString == "https://bj1.api.aliyunpds.com/v2/account/revoke")
        #expect(endpoints.providerName == "Drive and Photo Service")
    }

    @Test func overridingAnEndpointMakesTheProviderGeneric() throws {
        let endpoints = try ProviderEndpoints.resolve(
            endpoint: "https://idp.example/base/", domainID: nil,
            authorize: "/oauth2/auth", token: "https://other.example/token")
        #expect(endpoints.flavor == .generic && endpoints.revokeURL == nil, "no PDS revocation for a generic provider")
        #expect(endpoints.authorizeURL.absoluteString == "https://idp.example/base/oauth2/auth")
        #expect(endpoints.tokenURL.absoluteString == "https://other.example/token")
        #expect(endpoints.providerName == "idp.example")
        let revoking = try ProviderEndpoints.resolve(endpoint: "https://idp.example", domainID: nil, token: "/t", revoke: "/o/revoke")
        #expect(revoking.revokeURL?.absoluteString == "https://idp.example/o/revoke")
    }

    @Test func domainIDFromAPDSHost() {
        #expect(ProviderEndpoints.domainID(fromHost: "bj1.api.aliyunpds.com") == "bj1")
        #expect(ProviderEndpoints.domainID(fromHost: "BJ1.auth.aliyunpds.com") == "bj1")
        #expect(ProviderEndpoints.domainID(fromHost: "a.b.api.aliyunpds.com") == nil)
        #expect(ProviderEndpoints.domainID(fromHost: "idp.example") == nil)
    }

    @Test func profilesWrittenBeforeFlavorsReadAsPDS() throws {
        let old =
            #"{"base":"https://bj1.api.aliyunpds.com","authorizeURL":"https://bj1.api.aliyunpds.com/a","tokenURL":"https://bj1.api.aliyunpds.com/t","revokeURL":"https://bj1.api.aliyunpds.com/r"}"#
        let endpoints = try JSONDecoder().decode(ProviderEndpoints.self, from: Data(old.utf8))
        #expect(endpoints.flavor == .pds && endpoints.revokeURL != nil)
    }

    @Test func refusesPlainHTTPUnlessLoopback() throws {
        for insecure in ["http://example.com", "http://10.0.0.1:80", "http://127.0.0.1.example.com"] {
            #expect(throws: PDSAuthError.self, "\(insecure)") { try ProviderEndpoints.resolve(endpoint: insecure, domainID: nil) }
        }
        for loopback in ["http://127.0.0.1:8780", "http://[::1]:8780", "http://localhost:8780"] {
            _ = try ProviderEndpoints.resolve(endpoint: loopback, domainID: nil)
        }
    }

    @Test func rejectsMissingOrBadInput() {
        let cases: [(String?, String?, PDSAuthError.Code)] = [
            (nil, nil, .missingEndpoint), (nil, "bad/host", .invalidDomainID), ("ftp://x", nil, .invalidURL),
            ("https://u:p@x.example", nil, .invalidURL), ("http://example.com", nil, .insecureURL),
        ]
        for (endpoint, domain, code) in cases {
            #expect { try ProviderEndpoints.resolve(endpoint: endpoint, domainID: domain) } throws: { ($0 as? PDSAuthError)?.code == code }
        }
    }

    @Test func redirectTargets() throws {
        let target = try RedirectTarget(parsing: "http://127.0.0.1:8765/callback")
        #expect(target.host == "127.0.0.1" && target.port == 8765 && target.path == "/callback")
        let v6 = try RedirectTarget(parsing: "http://[::1]:3000")
        #expect(v6.host == "::1" && v6.port == 3000 && v6.path == "/")
        #expect(v6.origin == "http://[::1]:3000")
        let any = try RedirectTarget(parsing: "http://127.0.0.1:0/cb").bound(to: 4321)
        #expect(any.uri == "http://127.0.0.1:4321/cb" && any.port == 4321)
        for bad in [
            "not a url", "https://127.0.0.1:1/cb", "http://example.com:8765/cb", "http://192.168.1.2:1/", "http://127.0.0.1:1/#frag",
            "http://127.000.0.1:1/", "http://127.0.0.1:99999/",
        ] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try RedirectTarget(parsing: bad) }
        }
    }

    @Test func loopbackHostsAgreeWithTheSharedVectors() throws {
        let vectors = try TestVectors.loopbackHosts()
        for host in vectors.loopback { #expect(LoopbackHost.isLoopback(host), "\(host)") }
        for host in vectors.not_loopback { #expect(!LoopbackHost.isLoopback(host), "\(host)") }
    }

    @Test func caBundleOrder() {
        #expect(TransportOptions.caBundle(flag: "a", environment: ["CURL_CA_BUNDLE": "b", "SSL_CERT_FILE": "c"]) == "a")
        #expect(TransportOptions.caBundle(flag: nil, environment: ["CURL_CA_BUNDLE": "b", "SSL_CERT_FILE": "c"]) == "b")
        #expect(TransportOptions.caBundle(flag: nil, environment: ["SSL_CERT_FILE": "c"]) == "c")
        #expect(TransportOptions.caBundle(flag: nil, environment: [:]) == nil)
    }

    /// Every value a user could put in PDS_AUTH_HTTP_TIMEOUT: accepted in range, refused
    /// with a clear error otherwise, never ignored and never a crash.
    @Test func httpTimeoutFromTheEnvironment() throws {
        #expect(try TransportOptions.fromEnvironment(["PDS_AUTH_HTTP_TIMEOUT": "2.5"]).totalTimeout == .milliseconds(2500))
        #expect(try TransportOptions.fromEnvironment([:]).totalTimeout == .seconds(30))
        for bad in ["0", "-1", "-5", "abc", "inf", "nan", "1e30", "9223372036854775807", "3601", "", " ", "1,5", "0x10"] {
            #expect("\(bad)") { try TransportOptions.fromEnvironment(["PDS_AUTH_HTTP_TIMEOUT": bad]) } throws: {
                ($0 as? PDSAuthError)?.code == .invalidSetting && ($0 as? PDSAuthError)?.message.contains("PDS_AUTH_HTTP_TIMEOUT") == true
            }
        }
    }

    @Test func storeLocation() throws {
        #expect(try StoreLocation.directory(environment: ["PDS_AUTH_HOME": "/a", "XDG_CONFIG_HOME": "/b", "HOME": "/c"]) == "/a")
        #expect(try StoreLocation.directory(environment: ["XDG_CONFIG_HOME": "/b", "HOME": "/c"]) == "/b/pds-auth")
        #expect(try StoreLocation.directory(environment: ["HOME": "/c"]) == "/c/.config/pds-auth")
        #expect(throws: PDSAuthError.self) { try StoreLocation.directory(environment: [:]) }
    }
}
