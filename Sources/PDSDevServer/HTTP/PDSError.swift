import Hummingbird

/// A request this server refuses: handlers throw it, and ``ErrorMiddleware`` renders it in the
/// PDS style (``JSONResponse/error(_:requestID:)``).
/// `message` says precisely what was wrong: it is what a developer of `pds-auth` reads when
/// a test fails. It never contains a secret, a code or a token value.
struct PDSError: Error, Sendable, Equatable {
    var code: PDSErrorCode
    var message: String
    /// Overrides the code's usual status (injected faults choose their own).
    var status: HTTPResponse.Status
    /// Extra headers such as `WWW-Authenticate` (RFC 6749 §5.2) or `Retry-After`.
    var headers: [(String, String)] = []

    init(_ code: PDSErrorCode, _ message: String, status: HTTPResponse.Status? = nil, headers: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.status = status ?? code.status
        self.headers = headers
    }

    static func == (lhs: PDSError, rhs: PDSError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.status == rhs.status
    }

    static func missing(_ field: String) -> PDSError {
        PDSError(.missing, "The required parameter \(field) is missing or empty")
    }

    static func repeated(_ field: String) -> PDSError {
        PDSError(.invalid, "The parameter \(field) appears more than once (RFC 6749 §3.2)")
    }
}

extension PDSError: HTTPResponseError {
    /// The PDS error body, naming the request's id (``RequestIDMiddleware`` gives it one).
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.error(self, requestID: (context as? DevServerRequestContext)?.requestID ?? "")
    }
}
