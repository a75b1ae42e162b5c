import Foundation
import HTTPTypes
import Hummingbird
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// Authorization server metadata (RFC 8414) as untrusted input: where it is looked for,
/// which issuer it must name, which endpoints it may name, and the bounds on fetching it.
@Suite struct DiscoveryTests {
    @Test func metadataAddressesInsertThePathAfterTheHost() throws {
        func urls(_ issuer: String) throws -> [String] { try IssuerIdentifier(issuer).metadataURLs.map(\.absoluteString) }
        #expect(
            try urls("https://idp.example.com") == [
                "https://idp.example.com/.well-known/oauth-authorization-server",
                "https://idp.example.com/.well-known/openid-configuration",
            ])
        #expect(
            try urls("https://idp.example.com/") == [
                "https://idp.example.com/.well-known/oauth-authorization-server",
                "https://idp.example.com/.well-known/openid-configuration",
            ])
        #expect(
            try urls("https://idp.example.com/tenant/1") == [
                "https://idp.example.com/.well-known/oauth-authorization-server/tenant/1",
                "https://idp.example.com/tenant/1/.well-known/openid-configuration",
            ])
        #expect(
            try urls("http://127.0.0.1:8080/o") == [
                "http://127.0.0.1:8080/.well-known/oauth-authorization-server/o",
                "http://127.0.0.1:8080/o/.well-known/openid-configuration",
            ])
    }

    @Test(arguments: [
        "http://idp.example.com", "https://idp.example.com/?x=1", "https://idp.example.com/#f", "ftp://idp.example.com",
        "https://user:pw@idp.example.com", "idp.example.com", "", "https://idp.example.com/\u{1B}[31mred", "https://idp.example.com/a b",
        "https://idp.example.com/é",
    ])
    func unusableIssuersAreRefused(_ text: String) {
        #expect(throws: PDSAuthError.self) { try IssuerIdentifier(text) }
    }

    @Test func issuersCompareExactly() throws {
        let issuer = try IssuerIdentifier("https://idp.example.com/o")
        #expect(issuer.matches("https://idp.example.com/o"))
        for near in [
            "https://idp.example.com/o/", "https://IDP.example.com/o", "https://idp.example.com:443/o", "https://idp.example.com/O",
            "https://idp.example.com/o ", "https://idp.example.com/%6F", nil,
        ] {
            #expect(!issuer.matches(near), "\(near ?? "nil") is another issuer")
        }
    }

    static let issuer = try! IssuerIdentifier("https://idp.example.com/o")
    static let source = URL(string: "https://idp.example.com/.well-known/oauth-authorization-server/o")!

    static func decode(_ json: String, issuer: IssuerIdentifier = issuer) -> Result<AuthorizationServerMetadata, PDSAuthError> {
        Result { () throws(PDSAuthError) in try AuthorizationServerMetadata.decode(Data(json.utf8), issuer: issuer, from: source) }
    }

    @Test func goodMetadataIsTakenAndNothingElseInItIsUsed() throws {
        let metadata = try Self.decode(
            """
            {"issuer":"https://idp.example.com/o","authorization_endpoint":"https://idp.example.com/o/authorize/",
             "token_endpoint":"https://idp.example.com/o/token/","revocation_endpoint":"https://idp.example.com/o/revoke/",
             "device_authorization_endpoint":"https://idp.example.com/o/device-authorization/",
             "code_challenge_methods_supported":["plain","S256"],"authorization_response_iss_parameter_supported":true,
             "jwks_uri":"http://evil.example/keys","registration_endpoint":"javascript:alert(1)"}
            """
        ).get()
        #expect(
            metadata.tokenEndpoint?.absoluteString == "https://idp.example.com/o/token/" && metadata.supportsS256 && metadata.issParameterSupported)
        #expect(metadata.deviceAuthorizationEndpoint?.absoluteString == "https://idp.example.com/o/device-authorization/")
        let endpoints = try ProviderEndpoints.discovered(metadata, token: "/custom/token")
        #expect(endpoints.issuer == "https://idp.example.com/o" && endpoints.flavor == .generic && endpoints.issParameterSupported)
        #expect(endpoints.tokenURL.absoluteString == "https://idp.example.com/o/custom/token", "a typed endpoint wins, under the issuer")
        #expect(
            endpoints.authorizeURL.absoluteString == "https://idp.example.com/o/authorize/"
                && endpoints.revokeURL?.absoluteString == "https://idp.example.com/o/revoke/")
        let underEndpoint = try ProviderEndpoints.discovered(
            metadata, endpoint: "https://api.example.com", token: "/t", device: "https://idp.example.com/d")
        #expect(
            underEndpoint.tokenURL.absoluteString == "https://api.example.com/t" && underEndpoint.base.absoluteString == "https://api.example.com")
        #expect(underEndpoint.deviceAuthorizationURL?.absoluteString == "https://idp.example.com/d")
    }

    static let hostile: [(name: String, json: String, code: PDSAuthError.Code)] = [
        ("another issuer", #"{"issuer":"https://evil.example/o","token_endpoint":"https://evil.example/t"}"#, .issuerMismatch),
        ("the issuer with a trailing slash", #"{"issuer":"https://idp.example.com/o/"}"#, .issuerMismatch),
        ("no issuer", #"{"token_endpoint":"https://idp.example.com/t"}"#, .invalidMetadata),
        ("issuer not a string", #"{"issuer":["https://idp.example.com/o"]}"#, .invalidMetadata),
        ("an http token endpoint", #"{"issuer":"https://idp.example.com/o","token_endpoint":"http://idp.example.com/t"}"#, .insecureURL),
        (
            "a loopback http endpoint from a remote issuer", #"{"issuer":"https://idp.example.com/o","token_endpoint":"http://127.0.0.1:8080/t"}"#,
            .insecureURL
        ),
        (
            "credentials in an endpoint", #"{"issuer":"https://idp.example.com/o","authorization_endpoint":"https://a:b@idp.example.com/a"}"#,
            .invalidMetadata
        ),
        ("an endpoint that is not a URL", #"{"issuer":"https://idp.example.com/o","token_endpoint":"javascript:alert(1)"}"#, .invalidMetadata),
        (
            "an escape sequence in an endpoint", #"{"issuer":"https://idp.example.com/o","token_endpoint":"https://idp.example.com/t\u001b[2J"}"#,
            .invalidMetadata
        ),
        ("an endpoint that is a number", #"{"issuer":"https://idp.example.com/o","token_endpoint":42}"#, .invalidMetadata),
        ("not JSON", "<html>hello</html>", .invalidMetadata),
        ("a JSON array", #"["issuer"]"#, .invalidMetadata),
        ("too large", #"{"issuer":"https://idp.example.com/o","x":""# + String(repeating: "a", count: 70_000) + #""}"#, .invalidMetadata),
    ]

    @Test(arguments: hostile.map(\.name))
    func hostileMetadataIsRefused(_ name: String) {
        let entry = Self.hostile.first { $0.name == name }!
        guard case .failure(let error) = Self.decode(entry.json) else {
            Issue.record("\(name) was accepted")
            return
        }
        #expect(error.code == entry.code, "\(name): \(error)")
    }

    @Test func withoutEndpointsTheMetadataIsNotEnough() throws {
        let metadata = try Self.decode(#"{"issuer":"https://idp.example.com/o","token_endpoint":"https://idp.example.com/t"}"#).get()
        #expect(!metadata.supportsS256, "no code_challenge_methods_supported: no PKCE (RFC 8414 §2)")
        #expect(throws: PDSAuthError.self) { try ProviderEndpoints.discovered(metadata) }
        #expect(try ProviderEndpoints.discovered(metadata, authorize: "https://idp.example.com/a").authorizeURL.path == "/a")
    }

    /// A PDS profile is written exactly as before discovery existed.
    @Test func pdsEndpointsEncodeWithoutTheNewMembers() throws {
        let encoded = String(decoding: try JSONEncoder().encode(try ProviderEndpoints.resolve(endpoint: nil, domainID: "bj1")), as: UTF8.self)
        #expect(!encoded.contains("issuer") && !encoded.contains("device") && !encoded.contains("iss"), "\(encoded)")
        var discovered = try ProviderEndpoints.resolve(endpoint: "https://idp.example.com", domainID: nil, authorize: "/a", token: "/t", device: "/d")
        discovered.issuer = "https://idp.example.com"
        discovered.issParameterSupported = true
        #expect(try JSONDecoder().decode(ProviderEndpoints.self, from: JSONEncoder().encode(discovered)) == discovered)
    }

    // MARK: RFC 9728

    @Test func theChallengesResourceMetadataIsFound() {
        func found(_ header: String?) -> String? { ProtectedResourceMetadata.metadataURL(fromChallenge: header) }
        #expect(
            found(#"Bearer resource_metadata="https://r.example/.well-known/oauth-protected-resource""#)
                == "https://r.example/.well-known/oauth-protected-resource")
        #expect(found(#"Bearer error="invalid_token",resource_metadata="https://r.example/m""#) == "https://r.example/m")
        #expect(found(#"Bearer realm="x", RESOURCE_METADATA=https://r.example/m, error="invalid_token""#) == "https://r.example/m")
        #expect(
            found(#"Bearer error_description="resource_metadata=https://evil.example/m", resource_metadata="https://r.example/m""#)
                == "https://r.example/m",
            "a name inside another parameter's value is not the parameter")
        let escaped = found(#"Bearer resource_metadata="https://r.example/a\"b""#)
        #expect(escaped == #"https://r.example/a"b"#, "a quoted-pair is undone")
        #expect(found(#"Bearer resource_metadata="https://r.example/unterminated"#) == nil)
        #expect(found("Bearer realm=\"x\"") == nil && found(nil) == nil)
        #expect(found("Bearer resource_metadata=\"" + String(repeating: "a", count: 9000) + "\"") == nil, "a header over 8 KiB is not read")
    }

    @Test func resourceMetadataMustBeForTheResourceCalled() {
        let called = URL(string: "https://api.example.com/v1/things?x=1")!
        for resource in ["https://api.example.com", "https://api.example.com/", "https://api.example.com/v1", "https://API.example.com/v1/things"] {
            #expect(ProtectedResourceMetadata.covers(resource, called), "\(resource)")
        }
        for resource in [
            "https://api.example.com/v2", "https://api.example.com/v1/thingsandmore", "http://api.example.com", "https://api.example.com:8443",
            "https://evil.example", "https://api.example.com.evil.example", "not a url",
        ] {
            #expect(!ProtectedResourceMetadata.covers(resource, called), "\(resource)")
        }
    }

    @Test func resourceMetadataForAnotherResourceIsNotUsed() throws {
        let called = URL(string: "https://api.example.com/v1/things")!
        let source = URL(string: "https://api.example.com/.well-known/oauth-protected-resource")!
        #expect(throws: PDSAuthError.self) {
            try ProtectedResourceMetadata.decode(
                Data(#"{"resource":"https://evil.example","authorization_servers":["https://evil.example"]}"#.utf8), for: called, from: source)
        }
        let good = try ProtectedResourceMetadata.decode(
            Data(#"{"resource":"https://api.example.com","authorization_servers":["https://idp.example.com",7]}"#.utf8),
            for: called, from: source)
        #expect(good.authorizationServers == ["https://idp.example.com"])
    }

    /// A remote (https) resource naming plain-http metadata on this machine's loopback: not
    /// fetched (a remote server must not make pds-auth call local ports).
    @Test func aRemoteResourceCannotPointAtLoopbackMetadata() async throws {
        let listener = try #require(CannedHTTPServer { _ in CannedHTTPServer.reply(status: "404 Not Found", headers: []) })
        defer { listener.stop() }
        let challenge = HTTPClientResponse(
            status: 401, headerFields: [.wwwAuthenticate: "Bearer resource_metadata=\"http://127.0.0.1:\(listener.port)/m\""])
        do {
            _ = try await ProtectedResourceMetadata.fetch(
                for: challenge, requestURL: URL(string: "https://api.example.com/v1")!, transport: TransportOptions())
            Issue.record("loopback metadata was fetched for a remote resource")
        } catch {
            #expect(error.code == .insecureURL, "\(error)")
        }
        #expect(listener.requests.value.isEmpty, "nothing sent to the loopback port")
    }

    // MARK: Fetching

    static func serve(
        _ handler: @escaping @Sendable (Request, String) -> Response,
        _ body: @escaping (TestServer, IssuerIdentifier) async throws -> Void
    ) async throws {
        try await TestServer.run({ request in
            handler(request, "http://127.0.0.1:\(request.head.authority?.split(separator: ":").last ?? "")/o")
        }) { server in try await body(server, try IssuerIdentifier(server.baseURL + "/o")) }
    }

    static func metadata(_ issuer: String) -> String {
        #"{"issuer":"\#(issuer)","authorization_endpoint":"\#(issuer)/authorize/","token_endpoint":"\#(issuer)/token/","code_challenge_methods_supported":["S256"]}"#
    }

    @Test func fetchesTheRFC8414AddressFirstThenOpenIDConnects() async throws {
        let paths = LockedValue<[String]>([])
        try await Self.serve({ request, issuer in
            paths.update { $0.append(request.uri.path) }
            return request.uri.path == "/o/.well-known/openid-configuration"
                ? TestServer.json(.ok, Self.metadata(issuer)) : TestServer.json(.notFound, "{}")
        }) { _, issuer in
            let found = try await MetadataDiscovery(transport: TransportOptions()).metadata(for: issuer)
            #expect(found.tokenEndpoint?.absoluteString.hasSuffix("/o/token/") == true)
        }
        #expect(paths.value == ["/.well-known/oauth-authorization-server/o", "/o/.well-known/openid-configuration"])
    }

    @Test func aDocumentForAnotherIssuerIsRefusedNotPassedOver() async throws {
        let paths = LockedValue<[String]>([])
        try await Self.serve({ request, issuer in
            paths.update { $0.append(request.uri.path) }
            return TestServer.json(.ok, Self.metadata("https://evil.example/o"))
        }) { _, issuer in
            await #expect { try await MetadataDiscovery(transport: TransportOptions()).metadata(for: issuer) } throws: {
                ($0 as? PDSAuthError)?.code == .issuerMismatch
            }
        }
        #expect(paths.value.count == 1)
    }

    @Test func redirectsAreNotFollowed() async throws {
        let paths = LockedValue<[String]>([])
        try await Self.serve({ request, _ in
            paths.update { $0.append(request.uri.path) }
            return Response(status: .found, headers: [.location: "https://evil.example/.well-known/oauth-authorization-server"])
        }) { _, issuer in
            await #expect { try await MetadataDiscovery(transport: TransportOptions()).metadata(for: issuer) } throws: {
                ($0 as? PDSAuthError)?.code == .discoveryFailed && "\($0)".contains("HTTP 302")
            }
        }
        #expect(paths.value.count == 2, "both addresses tried, neither redirect followed")
    }

    @Test func aHugeOrSlowDocumentIsCutOff() async throws {
        try await Self.serve({ _, _ in TestServer.json(.ok, String(repeating: " ", count: 200_000)) }) { _, issuer in
            await #expect { try await MetadataDiscovery(transport: TransportOptions()).metadata(for: issuer) } throws: {
                ($0 as? PDSAuthError)?.code == .responseTooLarge
            }
        }
        try await TestServer.run({ _ in
            // Slow on purpose: past discovery's own 10 s bound, well within the transport's 60 s.
            try await Task.sleep(for: .seconds(12))
            return TestServer.json(.ok, "{}")
        }) { server in
            var transport = TransportOptions()
            transport.totalTimeout = .seconds(60)
            let started = ContinuousClock.now
            await #expect { try await MetadataDiscovery(transport: transport).metadata(for: try IssuerIdentifier(server.baseURL)) } throws: {
                ($0 as? PDSAuthError)?.code == .httpTimeout
            }
            #expect(ContinuousClock.now - started < .seconds(11.5), "metadata waits at most 10 s however long the HTTP timeout")
        }
    }
}
