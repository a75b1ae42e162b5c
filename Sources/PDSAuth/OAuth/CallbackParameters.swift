/// What the provider's redirect carries (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2), parsed from an
/// untrusted query string with every value bounded in length.
package struct CallbackParameters: Sendable, Equatable {
    package var code: String?
    package var state: String?
    package var error: String?
    package var errorDescription: String?
    /// RFC 9207 §2: the issuer that sent this response, checked against the profile's.
    package var iss: String?

    /// Longest query accepted; real ones are a few hundred bytes.
    package static let maxQueryLength = 8192
    package static let maxValueLength = 4096

    package init(code: String? = nil, state: String? = nil, error: String? = nil, errorDescription: String? = nil, iss: String? = nil) {
        self.code = code
        self.state = state
        self.error = error
        self.errorDescription = errorDescription
        self.iss = iss
    }

    /// Nil when the query is too long to be a genuine redirect.
    package init?(query: some StringProtocol) {
        guard query.utf8.count <= Self.maxQueryLength else { return nil }
        self.init()
        for (name, value) in FormEncoding.decode(query) where value.utf8.count <= Self.maxValueLength {
            // The first occurrence wins: a repeated parameter cannot override the real one.
            switch name {
            case "code" where code == nil: code = value
            case "state" where state == nil: state = value
            case "error" where error == nil: error = value
            case "error_description" where errorDescription == nil: errorDescription = value
            case "iss" where iss == nil: iss = value
            default: continue
            }
        }
    }

    /// Whether this looks like a redirect at all (versus someone opening the path by hand).
    package var isRedirect: Bool { code != nil || state != nil || error != nil }
}
