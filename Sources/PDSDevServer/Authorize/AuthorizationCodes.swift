import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A validated authorize request waiting for the user's decision on the consent page. The
/// page carries only an opaque id; everything the decision acts on stays here, so a forged
/// form cannot change the client, redirect URI or PKCE challenge.
struct PendingAuthorization: Sendable {
    var app: DevApp
    var redirectURI: String
    var state: String?
    var scopes: [String]
    /// RFC 7636 §4.3: the S256 challenge, bound to the code that approval issues.
    var codeChallenge: String?
    var expiresAt: Date
}

/// Consent pages awaiting an answer, by unguessable id (256 bits, RFC 6749 §10.10). Each id
/// is answered at most once: ``take(_:now:)`` removes it, so a replayed form post finds
/// nothing.
actor PendingAuthorizations {
    private var entries: [String: PendingAuthorization] = [:]

    func add(_ pending: PendingAuthorization, now: Date) -> String {
        entries = entries.filter { $0.value.expiresAt > now }
        let id = SecureRandom.token()
        entries[id] = pending
        return id
    }

    /// The pending request `id` if it exists and has not expired; it is gone afterwards.
    func take(_ id: String, now: Date) -> PendingAuthorization? {
        guard let pending = entries.removeValue(forKey: id), pending.expiresAt > now else { return nil }
        return pending
    }
}

/// What an authorization code stands for (RFC 6749 §4.1.2: bound to the client and the
/// redirect URI; RFC 7636 §4.4: to the code challenge).
struct AuthorizationCode: Sendable {
    var grant: Grant
    var redirectURI: String
    var codeChallenge: String?
    var expiresAt: Date
}

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
