import Foundation
import Testing

@testable import PDSDevServer

@Suite struct AuthorizeErrorTests {
    /// RFC 6749 §4.1.2.1: never redirect to an unverified client or redirect URI.
    @Test(arguments: [
        ("unknown-app", Fixture.redirectURI, "invalid_client"),
        (Fixture.webClientID, "http://127.0.0.1:3001/callback", "invalid_redirect_uri"),
        (Fixture.webClientID, "http://127.0.0.1:3000/callback/", "invalid_redirect_uri"),
        (Fixture.webClientID, "http://127.0.0.1:3000/Callback", "invalid_redirect_uri"),
        (Fixture.webClientID, "http://127.0.0.1:3000/callback?extra=1", "invalid_redirect_uri"),
        (Fixture.webClientID, "http://localhost:3000/callback", "invalid_redirect_uri"),
        (Fixture.webClientID, "http://evil.example/callback", "invalid_redirect_uri"),
        (Fixture.jwtClientID, Fixture.redirectURI, "invalid_redirect_uri"),
    ])
    func untrustedTargetsGetAPageNotARedirect(clientID: String, redirectURI: String, code: String) async throws {
        try await Fixture().test { client in
            let response = try await client.authorize(Client.authorizeFields(clientID: clientID, redirectURI: redirectURI))
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
            #expect(response.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(response.bodyText.hasPrefix("<!doctype html>"))
            #expect(response.bodyText.contains(#"id="error-code">\#(code)<"#))
            #expect(response.header("Content-Security-Policy")?.contains("form-action 'none'") == true)
        }
    }

    @Test func missingOrRepeatedClientOrRedirectGetsAPage() async throws {
        try await Fixture().test { client in
            let missing = try await client.authorize(Client.authorizeFields().filter { $0.0 != "redirect_uri" })
            #expect(missing.status == .badRequest && missing.headers[.location] == nil)
            let noClient = try await client.authorize(Client.authorizeFields().filter { $0.0 != "client_id" })
            #expect(noClient.status == .badRequest && noClient.headers[.location] == nil)
            let repeated = try await client.authorize(Client.authorizeFields() + [("redirect_uri", "http://evil.example/")])
            #expect(repeated.status == .badRequest && repeated.headers[.location] == nil)
        }
    }

    /// RFC 6749 §4.1.2.1 (and RFC 7636 §4.4.1): other errors go to the redirect URI.
    @Test(arguments: [
        ([("response_type", "token")], "unsupported_response_type"),
        ([("response_type", "")], "invalid_request"),
        ([("code_challenge", Fixture.challenge), ("code_challenge_method", "plain")], "invalid_request"),
        ([("code_challenge", Fixture.challenge)], "invalid_request"),
        ([("code_challenge_method", "S256")], "invalid_request"),
        ([("code_challenge", "short"), ("code_challenge_method", "S256")], "invalid_request"),
        ([("scope", "EVERYTHING.ALL")], "invalid_scope"),
        ([("login_type", "password")], "invalid_request"),
        ([("hide_consent", "maybe")], "invalid_request"),
    ])
    func otherErrorsRedirectWithState(overrides: [(String, String)], error: String) async throws {
        try await Fixture().test { client in
            let fields = Client.authorizeFields().filter { field in !overrides.contains { $0.0 == field.0 } } + overrides
            let response = try await client.authorize(fields)
            #expect(response.status == .found)
            let location = try #require(response.headers[.location], "Location")
            #expect(location.hasPrefix(Fixture.redirectURI + "?"))
            let parameters = try Page.redirectParameters(response)
            #expect(parameters["error"] == error)
            #expect(parameters["error_description"] != nil)
            #expect(parameters["code"] == nil)
            #expect(parameters["state"] == "xyz")
        }
    }

    /// RFC 6749 §3.1: parameters must not repeat. A repeated state is not echoed: the server
    /// cannot tell which one is the client's.
    @Test func repeatedParametersAreInvalid() async throws {
        try await Fixture().test { client in
            let repeatedType = try Page.redirectParameters(try await client.authorize(Client.authorizeFields() + [("response_type", "code")]))
            #expect(repeatedType["error"] == "invalid_request")
            #expect(repeatedType["state"] == "xyz")
            let repeatedState = try Page.redirectParameters(try await client.authorize(Client.authorizeFields() + [("state", "other")]))
            #expect(repeatedState["error"] == "invalid_request")
            #expect(repeatedState["state"] == nil)
        }
    }

    @Test func publicClientMustSendAChallenge() async throws {
        try await Fixture().test { client in
            let response = try await client.authorize(Client.authorizeFields(clientID: Fixture.nativeClientID))
            let parameters = try Page.redirectParameters(response)
            #expect(parameters["error"] == "invalid_request")
            #expect(parameters["error_description"]?.contains("code_challenge is required") == true)
        }
    }

    @Test func missingLoginTypeAndNamedScopesAreFine() async throws {
        try await Fixture().test { client in
            let fields = Client.authorizeFields().filter { $0.0 != "login_type" && $0.0 != "scope" } + [("scope", "FILE.ALL USER.ALL")]
            let response = try await client.authorize(fields)
            #expect(response.status == .ok)
            #expect(response.bodyText.contains("<code>FILE.ALL</code> <code>USER.ALL</code>"))
            #expect(!response.bodyText.contains("DRIVE.ALL"))
        }
    }

    @Test func errorWithoutStateOmitsState() async throws {
        try await Fixture().test { client in
            let fields = Client.authorizeFields(state: nil).map { $0.0 == "response_type" ? ($0.0, "token") : $0 }
            let response = try await client.authorize(fields)
            let location = try #require(response.headers[.location], "Location")
            #expect(!location.contains("state="))
        }
    }

    @Test func registeredQueryIsKept() async throws {
        let registered = "http://127.0.0.1:3000/cb?tenant=a%26b"
        let fixture = try Fixture { $0.apps[0].redirectURIs = [registered] }
        try await fixture.test { client in
            let fields = Client.authorizeFields(redirectURI: registered).map { $0.0 == "response_type" ? ($0.0, "token") : $0 }
            let response = try await client.authorize(fields)
            let location = try #require(response.headers[.location], "Location")
            #expect(location.hasPrefix(registered + "&error=unsupported_response_type&"))
        }
    }

    @Test func scopesResolve() {
        #expect(PDSScopes.resolve(nil) == PDSScopes.all)
        #expect(PDSScopes.resolve("all") == PDSScopes.all)
        #expect(PDSScopes.resolve("FILE.ALL FILE.ALL BATCH") == ["FILE.ALL", "BATCH"])
        #expect(PDSScopes.resolve("file.all") == nil)
        #expect(PDSScopes.resolve("all BOGUS") == nil)
    }
}
