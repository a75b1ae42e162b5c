#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claims of a JWT access token, decoded for display only. The signature is NOT
/// verified (pds-auth does not hold the provider's keys and does not need to): nothing here
/// is trusted for a security decision except our own expiry bookkeeping fallback.
public struct JWTPreview: Sendable {
    public var claims: [(name: String, value: String)]
    public var expiry: Date?

    public init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count < 64 * 1024, let payload = Base64URL.decode(parts[1]),
              let object = try? JSONDecoder().decode(JSONScalarObject.self, from: payload) else { return nil }
        claims = object.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text.map { Redaction.terminalSafe($0, limit: 200) } ?? "…") }
        expiry = object["exp"]?.integer.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}
