import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PDSAuthTestSupport
import PDSShared
import Testing

@testable import PDSAuth

/// The login flow against a fake token endpoint: what is sent, and what every failure does.
@Suite struct LoginFlowTests {
    /// Seeds a profile so "untouched" can be checked byte for byte.
    static func seededStore(_ temp: TemporaryDirectory) async throws -> (CredentialStore, Data) {
        let store = CredentialStore(directory: temp.file("creds"))
        try await store.save(try CredentialStoreTests.profile("earlier"), as: "default")
        return (store, try Data(contentsOf: URL(fileURLWithPath: store.filePath)))
    }

    /// Plays the browser without a provider: start page → callback with a code and the state.
    static func callback(code: String, pages: LockedValue<[String]>) -> @Sendable (String) async throws -> Void {
        { startURL in
            let browser = ScriptedBrowser()
            let start = try await browser.get(startURL)
            let query = LoginHarness.authorizeQuery(startPage: start.html)
            let url = query["redirect_uri"]! + "?code=\(code)&state=" + FormEncoding.escape(query["state"]!)
            let page = try await browser.get(url)
            pages.update { $0.append(page.html) }
        }
    }

    @Test func sendsTheRFC6749FieldsAndSaves() async throws {
        let temp = TemporaryDirectory()
        let (store, _) = try await Self.seededStore(temp)
        let seen = LockedValue<[String: String]>([:])
        let challenge = LockedValue<String>("")
        let pages = LockedValue<[String]>([])
        let result = try await TestServer.run({ request in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 65536))
            seen.set(Dictionary(FormEncoding.decode(body), uniquingKeysWith: { a, _ in a }))
            return TestServer.json(
                .ok,
                #"{"access_token":"at-new-0123456789abcdef","refresh_token":"rt-new","expires_in":3600,"user_name":"alice","user_id":"u1","domain_id":"dev","default_drive_id":"7"}"#
            )
        }) { server in
            try await LoginHarness(endpoint: server.baseURL, store: store).run { startURL in
                let browser = ScriptedBrowser()
                let start = try await browser.get(startURL)
                let query = LoginHarness.authorizeQuery(startPage: start.html)
                challenge.set(query["code_challenge"] ?? "")
                let page = try await browser.get(query["redirect_uri"]! + "?code=c0de%2B1&state=" + FormEncoding.escape(query["state"]!))
                pages.update { $0.append(page.html) }
            }
        }
        let login = try result.get()
        let fields = seen.value
        #expect(fields["grant_type"] == "authorization_code")
        #expect(fields["domain_id"] == "dev", "domain_id on the token request (PDS Token API, 2026)")
        #expect(fields["code"] == "c0de+1")
        #expect(fields["client_id"] == "test-client" && fields["client_secret"] == "s3cr+t&=")
        #expect(fields["redirect_uri"]?.hasPrefix("http://127.0.0.1:") == true && fields["redirect_uri"]?.hasSuffix("/callback") == true)
        let verifier = try #require(fields["code_verifier"])
        #expect(Base64URL.encode(SHA256.hash(data: Array(verifier.utf8))) == challenge.value, "S256(verifier) matches the challenge sent")
        #expect(login.profile.refreshToken == "rt-new" && login.profile.user?.userName == "alice")
        let saved = try store.load()
        #expect(saved.profiles["default"]?.accessToken == "at-new-0123456789abcdef")
        #expect(saved.profiles["default"]?.redirectURI == fields["redirect_uri"], "the refresh-time redirect URI is the one used")
        #expect(saved.profiles["default"]?.domainID == "dev" && saved.current == "default", "remembered for refresh; made current")
        let html = try #require(pages.value.first)
        #expect(html.contains("Signed in") && html.contains("alice") && html.contains(Redaction.mask("at-new-0123456789abcdef")))
    }

    /// Any RFC 6749 server: custom authorize and token paths, secret in the body.
    @Test func customEndpointPathsForOtherProviders() async throws {
        let temp = TemporaryDirectory()
        let paths = LockedValue<[String]>([])
        let authorizePath = LockedValue("")
        let result = try await TestServer.run({ request in
            paths.update { $0.append(request.uri.path) }
            return TestServer.json(.ok, #"{"access_token":"generic-token","token_type":"bearer","expires_in":60}"#)
        }) { server in
            var harness = try LoginHarness(endpoint: server.baseURL, store: CredentialStore(directory: temp.path))
            harness.configuration.endpoints = try ProviderEndpoints.resolve(
                endpoint: server.baseURL, domainID: nil,
                authorize: "/oauth2/auth", token: "/oauth2/token")
            harness.configuration.domainID = nil
            harness.configuration.loginType = nil
            return try await harness.run { startURL in
                let start = try await ScriptedBrowser().get(startURL)
                authorizePath.set(ScriptedBrowser.link(id: "login", in: start.html) ?? "")
                try await Self.callback(code: "c", pages: LockedValue([]))(startURL)
            }
        }
        #expect(try result.get().profile.accessToken == "generic-token")
        #expect(authorizePath.value.contains("/oauth2/auth?response_type=code"))
        #expect(!authorizePath.value.contains("login_type") && !authorizePath.value.contains("domain_id"), "no PDS-only parameters")
        #expect(paths.value == ["/oauth2/token"])
    }

    @Test func withoutPKCENoVerifierIsSent() async throws {
        let temp = TemporaryDirectory()
        let (store, _) = try await Self.seededStore(temp)
        let seen = LockedValue<[String: String]>([:])
        let result = try await TestServer.run({ request in
            var request = request
            seen.set(Dictionary(FormEncoding.decode(String(buffer: try await request.collectBody(upTo: 65536))), uniquingKeysWith: { a, _ in a }))
            return TestServer.json(.ok, #"{"access_token":"x"}"#)
        }) { server in
            try await LoginHarness(endpoint: server.baseURL, store: store, clientSecret: nil, usePKCE: false)
                .run(Self.callback(code: "c", pages: LockedValue([])))
        }
        _ = try result.get()
        #expect(seen.value["code_verifier"] == nil && seen.value["client_secret"] == nil)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var code: PDSAuthError.Code
        var handler: @Sendable (Request) async throws -> Response
        var testDescription: String { name }
        /// 1 s where the endpoint is too slow on purpose; elsewhere room for a busy machine.
        var totalTimeout: Duration { name == "timeout" ? .seconds(1) : .seconds(10) }
    }

    static let failures: [Failure] = [
        Failure(name: "400 PDS error", code: .grantRejected) { _ in
            TestServer.json(.badRequest, #"{"code":"InvalidParameter.Code","message":"The code is invalid or expired","requestId":"REQ-1"}"#)
        },
        Failure(name: "401 RFC error", code: .clientRejected) { _ in
            TestServer.json(.unauthorized, #"{"error":"invalid_client","error_description":"bad secret"}"#)
        },
        Failure(name: "500", code: .serverUnavailable) { _ in
            TestServer.json(.internalServerError, #"{"code":"InternalError","message":"oops","requestId":"REQ-2"}"#)
        },
        Failure(name: "503 gateway, long Retry-After", code: .serverUnavailable) { _ in
            Response(
                status: .serviceUnavailable,
                headers: [
                    HTTPField.Name("x-ca-error-code")!: "ServiceUnavailable", HTTPField.Name("x-ca-request-id")!: "G-3",
                    .retryAfter: "60",
                ])
        },
        Failure(name: "timeout", code: .httpTimeout) { _ in
            // Slow on purpose: past this case's 1 s total timeout.
            try await Task.sleep(for: .seconds(3))
            return TestServer.json(.ok, #"{"access_token":"late"}"#)
        },
        Failure(name: "invalid JSON", code: .invalidResponse) { _ in
            TestServer.json(.ok, "<html>not json</html>")
        },
        Failure(name: "no access_token", code: .invalidResponse) { _ in
            TestServer.json(.ok, #"{"token_type":"Bearer"}"#)
        },
        Failure(name: "absurd lifetime", code: .invalidResponse) { _ in
            TestServer.json(.ok, #"{"access_token":"tok-expv-0123456789","refresh_token":"r","expires_in":-999999999999999}"#)
        },
        Failure(name: "control characters in the token", code: .invalidResponse) { _ in
            TestServer.json(.ok, #"{"access_token":"tok\u001b]8;;evil\u0007","refresh_token":"r"}"#)
        },
        Failure(name: "302 to a login page", code: .endpointMisconfigured) { _ in
            Response(status: .found, headers: [.location: "https://sso.example/login"])
        },
        Failure(name: "404", code: .endpointMisconfigured) { _ in
            TestServer.json(.notFound, #"{"code":"NotFound","message":"no such path"}"#)
        },
    ]

    @Test(arguments: failures)
    func tokenEndpointFailureLeavesCredentialsUntouched(_ failure: Failure) async throws {
        let temp = TemporaryDirectory()
        let (store, before) = try await Self.seededStore(temp)
        let pages = LockedValue<[String]>([])
        let result = try await TestServer.run(failure.handler) { server in
            try await LoginHarness(endpoint: server.baseURL, store: store, totalTimeout: failure.totalTimeout)
                .run(Self.callback(code: "c", pages: pages))
        }
        guard case .failure(let error) = result else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == failure.code, "\(error.description)")
        #expect(!error.description.contains("s3cr+t"), "the client secret never appears in errors")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
        #expect(pages.value.first?.contains("Sign-in failed") == true, "the browser shows an error page")
    }

    @Test func busyPortIsReportedWithItsNumber() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { busy in
            let temp = TemporaryDirectory()
            var harness = try LoginHarness(endpoint: busy.baseURL, store: CredentialStore(directory: temp.path))
            harness.configuration.redirects = [try RedirectTarget(parsing: "http://127.0.0.1:\(busy.server.port)/callback")]
            let result = try await harness.run { _ in Issue.record("must not start") }
            guard case .failure(let error) = result else {
                Issue.record("expected failure")
                return
            }
            #expect(error.code == .portInUse)
            #expect(error.message.contains(String(busy.server.port)))
        }
    }

    @Test func timesOutAndReleasesThePort() async throws {
        let temp = TemporaryDirectory()
        let port = LockedValue(0)
        var harness = try LoginHarness(endpoint: "http://127.0.0.1:9", store: CredentialStore(directory: temp.path), waitTimeout: .milliseconds(300))
        harness.configuration.redirects = [try RedirectTarget(parsing: "http://127.0.0.1:\(TestPorts.belowEphemeralRange())/callback")]
        let result = try await harness.run { startURL in
            port.set(URL(string: startURL)!.port!)
        }
        guard case .failure(let error) = result else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .signInTimedOut)
        // The port is free again: we can listen on it ourselves.
        let again = try await ListenerServer.start(
            host: "127.0.0.1", port: port.value,
            responder: CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok) }, logger: .init(label: "t"))
        await again.stop()
        #expect(!FileManager.default.fileExists(atPath: temp.file("credentials.json")))
    }
}
