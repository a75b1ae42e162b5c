#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// HTTP Basic client credentials (RFC 7617 §2) as RFC 6749 §2.3.1 uses them: the id and
/// secret are each form-urlencoded before being joined with `:` and base64-encoded.
struct BasicCredentials: Sendable, Equatable {
    var clientID: String
    /// Nil when empty: a public client may send `client_id:` with no password.
    var secret: String?

    /// Nil when there is no `Authorization` header or it uses another scheme.
    init?(header: String?) throws(PDSError) {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        // RFC 7617 §2: the scheme name is case-insensitive.
        guard parts.count == 2, parts[0].lowercased() == "basic" else { return nil }
        guard let data = Data(base64Encoded: String(parts[1].trimmingWhitespaces())),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":"),
              let id = PercentDecoding.decode(decoded[..<colon]),
              let secret = PercentDecoding.decode(decoded[decoded.index(after: colon)...]),
              !id.isEmpty
        else {
            throw PDSError(.invalid, "The Authorization header is not valid HTTP Basic client credentials (RFC 6749 §2.3.1)")
        }
        self.clientID = id
        self.secret = secret.isEmpty ? nil : secret
    }
}
