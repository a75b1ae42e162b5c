import Foundation
import JWTKit
import Logging
import Testing

@testable import PDSDevServer

@Suite struct RunTests {
    @Test func withRunningListensOnAnEphemeralLoopbackPort() async throws {
        let fixture = try Fixture()
        let url = try await fixture.live { server, url in
            #expect(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:\d+/) != nil)
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            #expect(port != 0)
            let response = try await LiveClient.request(port: port, .get, "/.well-known/jwks.json")
            #expect(response.status == .ok)
            #expect(server.summary(baseURL: url).contains(url))
            return url
        }
        // Stopped: the port no longer answers.
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        await #expect(throws: (any Error).self) { try await LiveClient.request(port: port, .get, "/.well-known/jwks.json") }
    }

    @Test func fullFlowOverHTTPIssuesTokensNamingTheLiveIssuer() async throws {
        try await Fixture().live { _, url in
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            let query = FormEncoding.encode(Client.authorizeFields())
            let page = try await LiveClient.request(port: port, .get, "/v2/oauth/authorize?" + query)
            #expect(page.status == .ok)
            let pendingID = try Page.pendingID(in: page.bodyText)
            let decision = try await LiveClient.request(
                port: port, .post, "/v2/oauth/authorize/decision",
                form: [("request_id", pendingID), ("user_id", "user-1"), ("decision", "approve")])
            let location = try #require(decision.headers[.location], "Location")
            let redirect = try #require(FormFields(encoded: String(location.split(separator: "?")[1])), "query")
            let code = try #require(redirect["code"], "code")
            let token = try await LiveClient.request(
                port: port, .post, "/v2/oauth/token",
                form: [
                    ("domain_id", Fixture.domainID), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Fixture.redirectURI),
                    ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret),
                ])
            #expect(token.status == .ok)
            let tokens = try JSONDecoder().decode(TokenResponseBody.self, from: Data(token.bodyText.utf8))
            let jwks = try await LiveClient.request(port: port, .get, "/.well-known/jwks.json").bodyText
            let claims = try await JWTKeyCollection().add(jwksJSON: jwks).verify(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.iss.value == url)
        }
    }

    @Test func requestsForOtherHostsAreMisdirected() async throws {
        try await Fixture().live { _, url in
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            let evil = try await LiveClient.request(port: port, .get, "/.well-known/jwks.json", authority: "evil.example:\(port)")
            #expect(evil.status == .misdirectedRequest)
            for authority in ["localhost:\(port)", "[::1]:\(port)", "127.0.0.1"] {
                let ok = try await LiveClient.request(port: port, .get, "/.well-known/jwks.json", authority: authority)
                #expect(ok.status == .ok, "\(authority)")
            }
        }
    }

    @Test func runReturnsWhenItsTaskIsCancelled() async throws {
        let server = try Fixture().server
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let running = Task { try await server.run { continuation.yield($0) } }
        var iterator = urls.makeAsyncIterator()
        let url = try #require(await iterator.next())
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        #expect(try await LiveClient.request(port: port, .get, "/.well-known/jwks.json").status == .ok)
        running.cancel()
        try await running.value
    }

    @Test func aBusyPortFailsInsteadOfHanging() async throws {
        try await Fixture().live { _, url in
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            let second = try Fixture { $0.port = port }
            await #expect(throws: (any Error).self) {
                try await second.live { _, _ in Issue.record("a second server listened on \(port)") }
            }
        }
    }

    @Test func publicInitGeneratesKeys() async throws {
        var configuration = DevServerConfiguration.demo(redirectURIs: [Fixture.redirectURI], port: 0)
        configuration.domainID = "demo"
        let pem = try await DevServer.withRunning(configuration, logger: Logger(label: "test")) { server, _ in
            try #require(try await server.generatedJWTPrivateKeyPEM)
        }
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----") || pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(try RSAPrivateKey(pem: pem).publicKey != TestKeys.server.signing.publicKey)
    }
}
