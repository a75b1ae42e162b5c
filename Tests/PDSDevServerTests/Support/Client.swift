import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PDSDevServer

/// The requests tests send, on top of a HummingbirdTesting client.
struct Client: Sendable {
    let base: any TestClientProtocol
    let fixture: Fixture

    func get(_ uri: String) async throws -> TestResponse {
        try await base.execute(uri: uri, method: .get)
    }

    func post(_ uri: String, form fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await base.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(fields)))
    }

    func post(_ uri: String, json: String) async throws -> TestResponse {
        try await base.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    /// `GET /v2/oauth/authorize` with these parameters.
    func authorize(_ fields: [(String, String)]) async throws -> TestResponse {
        try await get("/v2/oauth/authorize?" + FormEncoding.encode(fields))
    }

    /// As a current client sends them: `domain_id` first (PDS Authorize API, 2026 revision),
    /// left out when `domainID` is nil.
    static func authorizeFields(
        clientID: String = Fixture.webClientID, redirectURI: String = Fixture.redirectURI,
        state: String? = "xyz", challenge: String? = nil,
        domainID: String? = Fixture.domainID
    ) -> [(String, String)] {
        var fields = domainID.map { [("domain_id", $0)] } ?? []
        fields += [
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", "code"),
            ("scope", "all"), ("login_type", "default"),
        ]
        if let state { fields.append(("state", state)) }
        if let challenge { fields += [("code_challenge", challenge), ("code_challenge_method", "S256")] }
        return fields
    }

    /// Shows the consent page and answers it; returns the decision's response.
    func consent(_ fields: [(String, String)], decision: String = "approve", userID: String = "user-1") async throws -> TestResponse {
        let page = try await authorize(fields)
        let pendingID = try Page.pendingID(in: page.bodyText)
        return try await post("/v2/oauth/authorize/decision", form: [("request_id", pendingID), ("user_id", userID), ("decision", decision)])
    }

    /// Runs the browser part of the flow and returns the authorization code.
    func code(clientID: String = Fixture.webClientID, challenge: String? = nil, userID: String = "user-1") async throws -> String {
        let response = try await consent(Self.authorizeFields(clientID: clientID, challenge: challenge), userID: userID)
        return try #require(try Page.redirectParameters(response)["code"], "code in the redirect")
    }

    /// `POST /v2/oauth/token`, with `domain_id` first as a current client sends it (PDS
    /// Token API, 2026 revision); nil leaves it out.
    func token(_ fields: [(String, String)], headers: HTTPFields = [:], domainID: String? = Fixture.domainID) async throws -> TestResponse {
        try await post("/v2/oauth/token", form: (domainID.map { [("domain_id", $0)] } ?? []) + fields, headers: headers)
    }

    /// The code exchange of the web app, with its secret in the body.
    func exchange(
        _ code: String, clientID: String = Fixture.webClientID, secret: String? = Fixture.webSecret,
        redirectURI: String = Fixture.redirectURI, verifier: String? = nil,
        domainID: String? = Fixture.domainID
    ) async throws -> TestResponse {
        var fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("client_id", clientID)]
        if let secret { fields.append(("client_secret", secret)) }
        if let verifier { fields.append(("code_verifier", verifier)) }
        return try await token(fields, domainID: domainID)
    }

    func refresh(
        _ refreshToken: String, clientID: String = Fixture.webClientID, secret: String? = Fixture.webSecret,
        domainID: String? = Fixture.domainID
    ) async throws -> TestResponse {
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID)]
        if let secret { fields.append(("client_secret", secret)) }
        return try await token(fields, domainID: domainID)
    }

    func jwtBearer(_ assertion: String, clientID: String = Fixture.jwtClientID, domainID: String? = Fixture.domainID) async throws -> TestResponse {
        try await token(
            [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_id", clientID), ("assertion", assertion)],
            domainID: domainID)
    }

    /// A full sign-in of the web app: the successful token response.
    func signIn(userID: String = "user-1") async throws -> TokenResponseBody {
        let response = try await exchange(try await code(userID: userID))
        return try response.decode(TokenResponseBody.self)
    }

    /// A PDS resource API call: `POST` with a JSON body and, when `accessToken` is given,
    /// `Authorization: Bearer` (RFC 6750 §2.1).
    func resource(
        _ path: String, _ json: String = "{}", accessToken: String?,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if let accessToken { headers[.authorization] = "Bearer " + accessToken }
        return try await base.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    /// `POST /v2/oauth/revoke` (RFC 7009 §2.1).
    func revokeToken(_ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        try await post("/v2/oauth/revoke", form: fields, headers: headers)
    }
}
