import Hummingbird

extension JSONResponse {
    /// `{"error", "error_description"}` (RFC 6749 §5.2), with the same no-store headers as
    /// every JSON answer.
    static func oauthError(_ error: OAuthError) -> Response {
        struct Body: Encodable {
            var error: String
            var error_description: String
        }
        var response = make(error.status, bytes: encode(Body(error: error.error, error_description: error.description)))
        for (name, value) in error.headers {
            response.headers.set(name, value)
        }
        return response
    }
}
