/// The `grant_type` values of RFC 6749 §4.1.3 and §6 and RFC 7523 §2.1, plus the buckets
/// statistics use for anything else (a client cannot grow the table with invented values).
enum GrantTypeKey: String, Sendable {
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    case unsupported
    case missing

    init(_ value: String?) {
        guard let value else {
            self = .missing
            return
        }
        switch value {
        case Self.authorizationCode.rawValue: self = .authorizationCode
        case Self.refreshToken.rawValue: self = .refreshToken
        case Self.jwtBearer.rawValue: self = .jwtBearer
        default: self = .unsupported
        }
    }
}
