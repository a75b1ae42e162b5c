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

/// The error codes this server returns, in the PDS style (PDS error-code reference: a
/// non-2xx status with `{"code", "message", "requestId"}`), one per thing a client can get
/// wrong so a test can tell the cases apart.
///
/// | code | status | when |
/// |---|---|---|
/// | `InvalidParameterMissing` | 400 | a required field is absent or empty (RFC 6749 §3.1) |
/// | `InvalidParameter` | 400 | a field is repeated (RFC 6749 §3.2) or of the wrong JSON type, or the body is malformed |
/// | `InvalidParameter.ContentType` | 400 | a token or decision body not form-encoded (RFC 6749 §4.1.3), a resource body not JSON |
/// | `InvalidParameter.GrantType` | 400 | an unsupported `grant_type` (RFC 6749 §5.2 `unsupported_grant_type`) |
/// | `InvalidParameter.ClientId` | 401 | an unknown `client_id` (RFC 6749 §5.2 `invalid_client`) |
/// | `InvalidParameter.ClientSecret` | 401 | a missing or wrong client secret, or one sent by an app without a secret (RFC 6749 §2.3.1) |
/// | `InvalidParameter.Code` | 400 | an unknown, expired, replayed or foreign authorization code (RFC 6749 §4.1.3) |
/// | `InvalidParameter.RedirectUri` | 400 | `redirect_uri` differs from the authorize request's (RFC 6749 §4.1.3) |
/// | `InvalidParameter.CodeVerifier` | 400 | PKCE verifier missing, malformed, wrong or unexpected (RFC 7636 §4.6) |
/// | `InvalidParameter.RefreshToken` | 400 | an unknown, rotated, revoked or foreign refresh token (RFC 6749 §6) |
/// | `InvalidParameter.Assertion` | 400 | a JWT-bearer assertion that fails a check of RFC 7523 §3 (the message says which) |
/// | `InvalidParameter.AppId` | 400 | revoke for an unknown app or a token issued to another app (RFC 7009 §2.1) |
/// | `InvalidParameter.DomainId` | 400 | `domain_id` names another domain (PDS Authorize and Token APIs, 2026 revision) |
/// | `InvalidParameter.Limit` | 400 | a list `limit` that is not a whole number from 1 to 100 (PDS list APIs) |
/// | `InvalidParameter.Marker` | 400 | a list `marker` this server did not issue for that list (PDS list APIs) |
/// | `AccessTokenInvalid` | 401 | a resource call without a valid access token of this server (RFC 6750 §3.1 `invalid_token`) |
/// | `Forbidden` | 403 | the app may not use this grant (a JWT-bearer request for an app without a JWT key); a resource that is not the caller's |
/// | `NotFound` | 404 | no such endpoint |
/// | `NotFound.User`, `NotFound.Drive`, `NotFound.File` | 404 | a resource API names a user, drive or folder that does not exist |
/// | `MethodNotAllowed` | 405 | the endpoint exists but not for this method |
/// | `MisdirectedRequest` | 421 | the `Host` header names something other than a loopback address (DNS rebinding) |
/// | `EntityTooLarge` | 413 | the request body exceeds 64 KiB |
/// | `TooManyRequests`, `InternalError`, `BadGateway`, `ServiceUnavailable`, `GatewayTimeout`, `InjectedFault` | as set | a fault injected with ``DevServerFaults`` |
enum PDSErrorCode: String, Sendable {
    case missing = "InvalidParameterMissing"
    case invalid = "InvalidParameter"
    case contentType = "InvalidParameter.ContentType"
    case grantType = "InvalidParameter.GrantType"
    case clientID = "InvalidParameter.ClientId"
    case clientSecret = "InvalidParameter.ClientSecret"
    case code = "InvalidParameter.Code"
    case redirectURI = "InvalidParameter.RedirectUri"
    case codeVerifier = "InvalidParameter.CodeVerifier"
    case refreshToken = "InvalidParameter.RefreshToken"
    case assertion = "InvalidParameter.Assertion"
    case appID = "InvalidParameter.AppId"
    case domainID = "InvalidParameter.DomainId"
    case limit = "InvalidParameter.Limit"
    case marker = "InvalidParameter.Marker"
    case accessTokenInvalid = "AccessTokenInvalid"
    case forbidden = "Forbidden"
    case notFound = "NotFound"
    case notFoundUser = "NotFound.User"
    case notFoundDrive = "NotFound.Drive"
    case notFoundFile = "NotFound.File"
    case methodNotAllowed = "MethodNotAllowed"
    case misdirected = "MisdirectedRequest"
    case tooLarge = "EntityTooLarge"
    case tooManyRequests = "TooManyRequests"
    case internalError = "InternalError"
    case badGateway = "BadGateway"
    case serviceUnavailable = "ServiceUnavailable"
    case gatewayTimeout = "GatewayTimeout"
    case injectedFault = "InjectedFault"

    /// The status each code is sent with.
    var status: HTTPResponse.Status {
        switch self {
        case .clientID, .clientSecret, .accessTokenInvalid: .unauthorized
        case .forbidden: .forbidden
        case .notFound, .notFoundUser, .notFoundDrive, .notFoundFile: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .misdirected: .misdirectedRequest
        case .tooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .internalError, .injectedFault: .internalServerError
        case .badGateway: .badGateway
        case .serviceUnavailable: .serviceUnavailable
        case .gatewayTimeout: .gatewayTimeout
        default: .badRequest
        }
    }

    /// The code PDS would send with an HTTP status this server was told to fail with.
    static func forStatus(_ status: Int) -> PDSErrorCode {
        switch status {
        case 429: .tooManyRequests
        case 500: .internalError
        case 502: .badGateway
        case 503: .serviceUnavailable
        case 504: .gatewayTimeout
        default: .injectedFault
        }
    }
}
