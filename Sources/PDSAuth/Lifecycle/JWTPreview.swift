import FoundationEssentials
import PDSShared

/// The claims of a JWT access token, decoded for display only. The signature is NOT
/// verified (pds-auth does not hold the provider's keys and does not need to): nothing here
/// is trusted for a security decision except our own expiry bookkeeping fallback. Claims
/// nested deeper than `JSONValue.maxDepth` are no preview (nil): they could not be shown.
package struct JWTPreview: Sendable {
    /// Each claim as JSON (numbers stay numbers, nothing truncated).
    package var claims: [String: JSONValue]
    /// `exp`, when it is a time in the range a token lifetime can have.
    package var expiry: Date?

    package init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count < 64 * 1024, let payload = Base64URL.decode(parts[1]),
              let value = try? JSONDecoder().decode(JSONValue.self, from: payload), value.depth <= JSONValue.maxDepth,
              let claims = value.members else { return nil }
        self.claims = claims
        if case .integer(let exp)? = claims["exp"], exp > 0, exp < 253_402_300_800 {
            expiry = Date(timeIntervalSince1970: TimeInterval(exp))
        }
    }
}
