import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JOSE header of an assertion, read before any key is touched so the algorithm can
/// be checked first (RFC 8725 §3.1: never let the token choose how it is verified).
struct AssertionHeader: Decodable {
    var alg: String?
    var crit: [String]?

    /// Nil when `assertion` is not three base64url parts with a JSON object first.
    init?(assertion: String) {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]),
              let header = try? JSONDecoder().decode(AssertionHeader.self, from: data)
        else { return nil }
        self = header
    }
}
