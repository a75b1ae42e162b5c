import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Issued authorization codes: 256 random bits each (RFC 6749 §10.10), single use and short
/// lived (RFC 6749 §4.1.2). A presented code is spent at once, whether or not the rest of
/// the request is valid, so a code can never be tried twice; spent codes are remembered
/// for ``memory`` seconds so a replay is recognised and its grant revoked.
actor AuthorizationCodes {
    /// The outcome of presenting a code at the token endpoint.
    enum Redemption: Sendable {
        case valid(AuthorizationCode)
        case unknown
        case expired
        /// Presented before. RFC 6749 §4.1.2: the server "SHOULD revoke (when possible) all
        /// tokens previously issued based on that authorization code", hence the grant id.
        case replayed(grantID: String)
    }

    private var fresh: [String: AuthorizationCode] = [:]
    private var spent: [String: (grantID: String, forgetAt: Date)] = [:]
    private let memory: TimeInterval = 600

    func issue(_ code: AuthorizationCode, now: Date) -> String {
        prune(now: now)
        let value = SecureRandom.token()
        fresh[value] = code
        return value
    }

    func redeem(_ value: String, now: Date) -> Redemption {
        if let spentCode = spent[value] { return .replayed(grantID: spentCode.grantID) }
        guard let code = fresh.removeValue(forKey: value) else { return .unknown }
        spent[value] = (code.grant.id, max(code.expiresAt, now).addingTimeInterval(memory))
        return code.expiresAt > now ? .valid(code) : .expired
    }

    /// Drops codes that expired long ago; an expired code is kept for ``memory`` seconds so
    /// presenting it says "expired" rather than "unknown".
    private func prune(now: Date) {
        fresh = fresh.filter { $0.value.expiresAt.addingTimeInterval(memory) > now }
        spent = spent.filter { $0.value.forgetAt > now }
    }
}
