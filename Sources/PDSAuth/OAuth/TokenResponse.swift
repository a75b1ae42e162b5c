import FoundationEssentials

/// A successful `POST /v2/oauth/token` answer (PDS Token API; RFC 6749 §5.1), validated:
/// every value is in a range the credentials file stores and reads back, so nothing a token
/// endpoint sends can make the file unreadable (see `TokenResponse.decode`).
public struct TokenResponse: Sendable, Equatable {
    /// The access token (RFC 6749 §5.1), printable ASCII, at most 16 KiB.
    public var accessToken: String
    /// The refresh token, when one was issued; PDS rotates it on every refresh.
    public var refreshToken: String?
    /// The token type, normally `Bearer`.
    public var tokenType: String?
    /// When the access token stops working: from `expires_in` counted from when the request
    /// was sent, else PDS's absolute `expire_time`, else unknown.
    public var expiresAt: Date?
    /// The scope granted, when the server said.
    public var scope: String?
    /// PDS: the signed-in user's id.
    public var userID: String?
    /// PDS: the user's name.
    public var userName: String?
    /// PDS: the user's nickname.
    public var nickName: String?
    /// PDS: the domain the user belongs to.
    public var domainID: String?
    /// PDS: the user's default drive (empty for a service account).
    public var defaultDriveID: String?
    /// PDS: the user's role (`user`, `admin`, …).
    public var role: String?

    /// A response with these values (fakes and tests build them; servers' answers go
    /// through `decode`).
    public init(
        accessToken: String, refreshToken: String? = nil, tokenType: String? = nil, expiresAt: Date? = nil,
        scope: String? = nil, userID: String? = nil, userName: String? = nil, nickName: String? = nil,
        domainID: String? = nil, defaultDriveID: String? = nil, role: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.scope = scope
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.domainID = domainID
        self.defaultDriveID = defaultDriveID
        self.role = role
    }
}

extension TokenResponse {
    /// Longest access or refresh token accepted (PDS access tokens are about 1.5 KB).
    package static let maxTokenLength = 16 * 1024
    /// Longest descriptive value accepted (user name, role, ids).
    package static let maxValueLength = 1024
    /// Longest lifetime accepted: ten years. Anything longer (or negative, or zero) is not a
    /// token lifetime but a broken or hostile server.
    package static let maxLifetime: TimeInterval = 10 * 365 * 86400

    /// Decodes a 2xx token-endpoint body, or explains why it is not a valid token response.
    /// Lenient about what is missing and about unknown fields; strict about what is there:
    /// tokens must be RFC 6749 Appendix A VSCHAR text (no control characters, so nothing
    /// printed later can break a header line or a terminal), lifetimes must be sane, and
    /// descriptive values bounded.
    package static func decode(_ body: Data, from host: String, receivedAt: Date) throws(PDSAuthError) -> TokenResponse {
        guard let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else {
            throw invalid(host, "is not a JSON object")
        }
        guard let token = object["access_token"]?.text, !token.isEmpty else { throw invalid(host, "has no access_token") }
        guard isTokenText(token) else { throw invalid(host, "has an access_token that is not printable ASCII of at most \(maxTokenLength) bytes") }
        let refresh = object["refresh_token"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        if let refresh, !isTokenText(refresh) {
            throw invalid(host, "has a refresh_token that is not printable ASCII of at most \(maxTokenLength) bytes")
        }
        return TokenResponse(
            accessToken: token, refreshToken: refresh,
            tokenType: try tokenType(object, host: host),
            expiresAt: try expiry(object, host: host, receivedAt: receivedAt),
            scope: try bounded(object, "scope", host: host, limit: 4096),
            userID: try bounded(object, "user_id", host: host), userName: try bounded(object, "user_name", host: host),
            nickName: try bounded(object, "nick_name", host: host), domainID: try bounded(object, "domain_id", host: host),
            defaultDriveID: try bounded(object, "default_drive_id", host: host), role: try bounded(object, "role", host: host))
    }

    /// RFC 6749 Appendix A.12/A.17: `1*VSCHAR`, VSCHAR = %x20-7E.
    package static func isTokenText(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maxTokenLength && text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// RFC 6749 §7.1 / Appendix A.13: `type-name = 1*name-char`.
    static func tokenType(_ object: JSONScalarObject, host: String) throws(PDSAuthError) -> String? {
        guard let value = object["token_type"] else { return nil }
        guard let text = value.text, (1...64).contains(text.utf8.count),
            text.utf8.allSatisfy({ FormEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") })
        else {
            throw invalid(host, "has a token_type that is not a type name")
        }
        return text
    }

    /// `expires_in` (whole seconds, 1 s to ten years) counted from `receivedAt`, else PDS's
    /// `expire_time` (which must lie in the future, within ten years), else nil.
    static func expiry(_ object: JSONScalarObject, host: String, receivedAt: Date) throws(PDSAuthError) -> Date? {
        if let value = object["expires_in"] {
            guard let seconds = value.integer, seconds >= 1, TimeInterval(seconds) <= maxLifetime else {
                throw invalid(host, "has an expires_in that is not a lifetime between 1 second and 10 years")
            }
            return receivedAt.addingTimeInterval(TimeInterval(seconds))
        }
        guard let text = object["expire_time"]?.text, let date = parseTimestamp(text) else { return nil }
        let lifetime = date.timeIntervalSince(receivedAt)
        guard lifetime > 0 else {
            throw invalid(host, "says the token expired already (expire_time \(Redaction.terminalSafe(text, limit: 40))); check this machine's clock")
        }
        guard lifetime <= maxLifetime else { throw invalid(host, "has an expire_time more than 10 years ahead") }
        return date
    }

    static func bounded(_ object: JSONScalarObject, _ key: String, host: String, limit: Int = maxValueLength) throws(PDSAuthError) -> String? {
        guard let text = object[key]?.text else { return nil }
        guard text.utf8.count <= limit else { throw invalid(host, "has a \(key) longer than \(limit) bytes") }
        return text
    }

    static func invalid(_ host: String, _ problem: String) -> PDSAuthError {
        PDSAuthError(.invalidResponse, "The token response from \(host) \(problem); nothing was saved")
    }

    /// `2019-09-01T06:57:48.813Z` or `2019-09-01T06:57:48Z` (PDS Token API `expire_time`).
    static func parseTimestamp(_ text: String) -> Date? {
        guard text.utf8.count <= 40 else { return nil }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}

/// Any JSON value, kept only as far as a lenient decoder needs it: servers send ids as
/// numbers or strings, and a field of an unexpected type must not fail the whole response.
enum JSONScalar: Decodable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .other
        }
    }

    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: String(Int(number))
        case .number(let number): String(number)
        default: nil
        }
    }

    var integer: Int? {
        switch self {
        case .number(let number) where abs(number) < 1e15: Int(number.rounded(.down))
        case .string(let text): Int(text)
        default: nil
        }
    }
}

/// Decodes `[String: JSONScalar]`, tolerating nested objects and arrays as `.other`.
struct JSONScalarObject: Decodable {
    var values: [String: JSONScalar]

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: JSONScalar].self)
    }

    subscript(key: String) -> JSONScalar? { values[key] }
}

/// The token requests pds-auth makes (RFC 6749 §4.1.3, §6; RFC 7523 §2.1; RFC 8628 §3.4; PDS Token API).
package enum TokenGrant: Sendable {
    case authorizationCode(code: String, redirectURI: String, codeVerifier: String?)
    case refreshToken(String)
    case jwtBearer(assertion: String)
    /// A device-code poll (RFC 8628 §3.4).
    case deviceCode(String)

    package var grantType: String {
        switch self {
        case .authorizationCode: "authorization_code"
        case .refreshToken: "refresh_token"
        case .jwtBearer: "urn:ietf:params:oauth:grant-type:jwt-bearer"
        case .deviceCode: "urn:ietf:params:oauth:grant-type:device_code"
        }
    }

    /// The form fields. `domain_id` first when known (PDS Token API, 2026 revision). The
    /// client secret goes in the body, as PDS expects (RFC 6749 §2.3.1 allows it); Native
    /// apps have none and send only `client_id`.
    package func formFields(clientID: String, clientSecret: String?, domainID: String?) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let domainID, !domainID.isEmpty { fields.append(("domain_id", domainID)) }
        fields.append(("grant_type", grantType))
        switch self {
        case let .authorizationCode(code, redirectURI, verifier):
            fields += [("code", code), ("redirect_uri", redirectURI)]
            if let verifier { fields.append(("code_verifier", verifier)) }
        case .refreshToken(let token):
            fields.append(("refresh_token", token))
        case .jwtBearer(let assertion):
            fields.append(("assertion", assertion))
        case .deviceCode(let code):
            fields.append(("device_code", code))
        }
        fields.append(("client_id", clientID))
        if let clientSecret, !clientSecret.isEmpty { fields.append(("client_secret", clientSecret)) }
        return fields
    }
}
