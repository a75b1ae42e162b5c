import Foundation
import HummingbirdTesting
import Testing

@testable import PDSDevServer

/// `domain_id`, the first parameter of the PDS Authorize and Token APIs in their 2026
/// revision: required by default, optional when the server imitates the older API, and
/// never allowed to name another domain or to repeat.
@Suite struct DomainIDTests {
    static let missing = "The required parameter domain_id is missing or empty"
    static let wrong = "domain_id names another domain; this server is the domain devdomain"

    static func fixture(requiring: Bool) throws -> Fixture {
        try Fixture { $0.requiresDomainID = requiring }
    }

    @Test func requiredByDefault() throws {
        #expect(try Fixture.configuration().requiresDomainID)
        #expect(DevServerConfiguration.demo(redirectURIs: []).requiresDomainID)
    }

    // MARK: Authorize

    @Test func authorizeWithoutDomainIDIsRefusedOnTheRedirect() async throws {
        try await Self.fixture(requiring: true).test { client in
            let response = try await client.authorize(Client.authorizeFields(domainID: nil))
            #expect(response.status == .found)
            let parameters = try Page.redirectParameters(response)
            #expect(parameters["error"] == "invalid_request")
            #expect(parameters["error_description"] == Self.missing)
            #expect(parameters["state"] == "xyz")
            #expect(parameters["code"] == nil)
        }
    }

    @Test func authorizeWithoutDomainIDIsAcceptedWhenOptional() async throws {
        try await Self.fixture(requiring: false).test { client in
            let response = try await client.authorize(Client.authorizeFields(domainID: nil))
            #expect(response.status == .ok)
            #expect(try Page.pendingID(in: response.bodyText).count >= 43)
        }
    }

    @Test(arguments: [true, false])
    func authorizeForAnotherDomainIsRefused(requiring: Bool) async throws {
        try await Self.fixture(requiring: requiring).test { client in
            let parameters = try Page.redirectParameters(try await client.authorize(Client.authorizeFields(domainID: "otherdomain")))
            #expect(parameters["error"] == "invalid_request")
            #expect(parameters["error_description"] == Self.wrong)
        }
    }

    @Test(arguments: [true, false])
    func authorizeWithRepeatedDomainIDIsRefused(requiring: Bool) async throws {
        try await Self.fixture(requiring: requiring).test { client in
            let fields = Client.authorizeFields() + [("domain_id", Fixture.domainID)]
            let parameters = try Page.redirectParameters(try await client.authorize(fields))
            #expect(parameters["error"] == "invalid_request")
            #expect(parameters["error_description"] == "The parameter domain_id appears more than once (RFC 6749 §3.1)")
        }
    }

    /// RFC 6749 §4.1.2.1: an untrusted client still gets a page, whatever else is wrong.
    @Test func untrustedClientWithoutDomainIDGetsAPage() async throws {
        try await Self.fixture(requiring: true).test { client in
            let response = try await client.authorize(Client.authorizeFields(clientID: "unknown-app", domainID: nil))
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
        }
    }

    // MARK: Token, every grant

    /// One token request of `grant`, made ready by a sign-in where the grant needs one.
    static func tokenRequest(_ grant: String, fixture: Fixture, client: Client, domainID: String?) async throws -> TestResponse {
        switch grant {
        case "authorization_code":
            return try await client.exchange(try await client.code(), domainID: domainID)
        case "refresh_token":
            let token = try #require(try await client.signIn().refreshToken, "refresh token")
            return try await client.refresh(token, domainID: domainID)
        default:
            let assertion = try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa())
            return try await client.jwtBearer(assertion, domainID: domainID)
        }
    }

    static let grants = ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"]

    @Test(arguments: grants)
    func tokenWithoutDomainIDIsRefused(grant: String) async throws {
        let fixture = try Self.fixture(requiring: true)
        try await fixture.test { client in
            let response = try await Self.tokenRequest(grant, fixture: fixture, client: client, domainID: nil)
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameterMissing")
            #expect(response.pdsError?.message == Self.missing)
        }
    }

    @Test(arguments: grants)
    func tokenWithoutDomainIDIsAcceptedWhenOptional(grant: String) async throws {
        let fixture = try Self.fixture(requiring: false)
        try await fixture.test { client in
            let response = try await Self.tokenRequest(grant, fixture: fixture, client: client, domainID: nil)
            #expect(response.status == .ok)
            #expect(try response.decode(TokenResponseBody.self).domainID == Fixture.domainID)
        }
    }

    @Test(arguments: [true, false], grants)
    func tokenForAnotherDomainIsRefused(requiring: Bool, grant: String) async throws {
        let fixture = try Self.fixture(requiring: requiring)
        try await fixture.test { client in
            let response = try await Self.tokenRequest(grant, fixture: fixture, client: client, domainID: "otherdomain")
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter.DomainId")
            #expect(response.pdsError?.message == Self.wrong)
        }
    }

    @Test(arguments: [true, false])
    func tokenWithRepeatedDomainIDIsRefused(requiring: Bool) async throws {
        try await Self.fixture(requiring: requiring).test { client in
            let code = try await client.code()
            let fields = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Fixture.redirectURI),
                ("client_id", Fixture.webClientID), ("client_secret", Fixture.webSecret), ("domain_id", Fixture.domainID),
            ]
            let response = try await client.token(fields)
            #expect(response.pdsError?.code == "InvalidParameter")
            #expect(response.pdsError?.message == "The parameter domain_id appears more than once (RFC 6749 §3.2)")
        }
    }

    /// The domain is checked before the grant: a refused request spends no code and rotates
    /// no refresh token.
    @Test func aRefusedDomainSpendsNothing() async throws {
        try await Self.fixture(requiring: true).test { client in
            let code = try await client.code()
            #expect(try await client.exchange(code, domainID: nil).status == .badRequest)
            #expect(try await client.exchange(code, domainID: "otherdomain").status == .badRequest)
            let tokens = try await client.exchange(code).decode(TokenResponseBody.self)
            let refreshToken = try #require(tokens.refreshToken, "refresh token")
            #expect(try await client.refresh(refreshToken, domainID: nil).status == .badRequest)
            #expect(try await client.refresh(refreshToken).status == .ok)
        }
    }

    @Test func summaryStatesTheRule() throws {
        let required = try Self.fixture(requiring: true).server.summary(baseURL: "http://127.0.0.1:1")
        #expect(required.contains("domain_id:  required on authorize and token requests, must be devdomain"))
        let optional = try Self.fixture(requiring: false).server.summary(baseURL: "http://127.0.0.1:1")
        #expect(optional.contains("domain_id:  optional on authorize and token requests (older PDS API); if sent, must be devdomain"))
    }
}
