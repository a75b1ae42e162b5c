import Hummingbird

/// An error in the RFC 6749 §5.2 shape, `{"error", "error_description"}`, which RFC 7009
/// §2.2.1 prescribes for the revocation endpoint: unlike the PDS endpoints, that one
/// imitates a generic OAuth server. `description` follows ``PDSError``'s rule: it says
/// what was wrong and never holds a secret or token value.
struct OAuthError: Error, Sendable {
    /// `invalid_request`, `invalid_client` or `unauthorized_client`.
    var error: String
    var description: String
    var status: HTTPResponse.Status = .badRequest
    /// `WWW-Authenticate` when the client tried HTTP Basic (RFC 6749 §5.2).
    var headers: [(String, String)] = []

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(error: "invalid_request", description: description)
    }

    /// A refusal of the shared form and client-authentication code, in RFC 6749 terms: a
    /// failed client authentication is `invalid_client` with its 401 and challenge; any
    /// other problem with the request is `invalid_request` (a body too large keeps its 413).
    init(_ refusal: PDSError) {
        switch refusal.status {
        case .unauthorized:
            self.init(error: "invalid_client", description: refusal.message, status: .unauthorized, headers: refusal.headers)
        case .contentTooLarge:
            self.init(error: "invalid_request", description: refusal.message, status: .contentTooLarge)
        default:
            self.init(error: "invalid_request", description: refusal.message)
        }
    }

    init(error: String, description: String, status: HTTPResponse.Status = .badRequest, headers: [(String, String)] = []) {
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers
    }
}

extension OAuthError: HTTPResponseError {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.oauthError(self)
    }
}
