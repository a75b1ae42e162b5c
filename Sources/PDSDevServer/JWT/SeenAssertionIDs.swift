#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `jti` of every accepted JWT-bearer assertion, per issuing app, until the assertion
/// would have expired anyway (RFC 7523 §3: the server "MAY ensure that JWTs are not
/// replayed by maintaining the set of used jti values for the length of time for which
/// the JWT would be considered valid").
actor SeenAssertionIDs {
    private var seen: [String: Date] = [:]

    /// False when `jti` from `clientID` was seen before: the assertion is a replay.
    func insert(_ jti: String, clientID: String, validUntil: Date, now: Date) -> Bool {
        seen = seen.filter { $0.value > now }
        let key = clientID + "\u{0}" + jti
        guard seen[key] == nil else { return false }
        seen[key] = validUntil
        return true
    }
}
