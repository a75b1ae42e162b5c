/// An error sent to the client's redirect URI (RFC 6749 §4.1.2.1).
struct AuthorizeError: Error, Sendable, Equatable {
    /// `invalid_request`, `unsupported_response_type`, `invalid_scope` or `access_denied`.
    var error: String
    var description: String

    static func invalidRequest(_ description: String) -> AuthorizeError {
        AuthorizeError(error: "invalid_request", description: description)
    }
}
