import FoundationEssentials

/// Hands out access tokens that stay valid for a while, renewing them when needed, safely
/// across processes. PDS refresh tokens rotate (each refresh kills the old one), so two
/// processes refreshing at once would leave one holding a dead token. Here a renewal
/// happens only under the store's exclusive lock, after re-reading the profile inside it:
/// a process that waited for the lock finds the winner's fresh token and uses it.
public struct TokenProvider: Sendable {
    /// Where the profiles are read and renewed ones saved.
    public var store: CredentialStore
    /// What renews a profile: a refresh-token grant (RFC 6749 §6) or a new JWT assertion
    /// (RFC 7523) at the profile's token endpoint.
    public var renewer: any ProfileRenewer
    /// Now, for expiry decisions (a test can move it).
    public var clock: @Sendable () -> Date

    /// A provider over `store`, renewing with `renewer`.
    public init(store: CredentialStore, renewer: any ProfileRenewer = StandardRenewer(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.renewer = renewer
        self.clock = clock
    }

    /// The profile with an access token valid for at least `minValid`. With `force`,
    /// renews unless another process renewed it while we waited for the lock.
    public func validProfile(_ name: String, minValid: Duration, force: Bool = false) async throws(PDSAuthError) -> StoredProfile {
        guard let seen = try store.profile(name) else { throw Self.noProfile(name, store: store) }
        if !force, isFresh(seen, minValid: minValid) { return seen }
        let renewer = self.renewer
        let clock = self.clock
        var renewed = false
        do {
            return try await renew(name, seen: seen, minValid: minValid, force: force, renewer: renewer, clock: clock) { renewed = true }
        } catch where renewed && [.writeFailed, .secretStoreUnavailable, .secretStoreLocked].contains(error.code) {
            throw Self.renewalNotSaved(error, name: name, rotates: seen.jwt == nil)
        }
    }

    /// The renewal under the lock; `onRenewed` runs once the server has issued new tokens.
    private func renew(_ name: String, seen: StoredProfile, minValid: Duration, force: Bool, renewer: any ProfileRenewer,
                       clock: @escaping @Sendable () -> Date, onRenewed: () -> Void) async throws(PDSAuthError) -> StoredProfile {
        let store = self.store
        return try await store.update(claimingRoom: true) { (file: inout CredentialsFile) throws(PDSAuthError) -> StoredProfile in
            guard var profile = try store.profile(name, in: &file) else { throw Self.noProfile(name, store: store) }
            let renewedMeanwhile = profile.obtainedAt != seen.obtainedAt || profile.accessToken != seen.accessToken
            if force ? renewedMeanwhile : isFresh(profile, minValid: minValid) { return profile }
            let receivedAt = clock()
            let response: TokenResponse
            do throws(PDSAuthError) {
                response = try await renewer.renew(profile, name: name)
            } catch {
                var error = error
                error.profile = name
                throw error
            }
            onRenewed()
            profile.apply(response, receivedAt: receivedAt)
            file.profiles[name] = profile
            return profile
        }
    }

    /// A save that failed after the server issued new tokens: for a rotating refresh token
    /// the saved one is now likely dead, which "the credentials are unchanged" would hide.
    static func renewalNotSaved(_ error: PDSAuthError, name: String, rotates: Bool) -> PDSAuthError {
        let consequence = rotates ? "the server has likely retired the saved refresh token, so sign in again" : "the saved profile can still renew itself"
        // The save's own facts (the path that failed) stay; the kind and the message are new.
        var failure = error
        failure.code = .renewalNotSaved
        failure.message = "The server issued new tokens for \"\(Redaction.terminalSafe(name, limit: 64))\", but they could not be saved (\(error.message)); \(consequence)"
        failure.profile = name
        return failure
    }

    /// Whether the profile's access token stays valid for at least `minValid` (true when its
    /// expiry is unknown: nothing says it is due).
    public func isFresh(_ profile: StoredProfile, minValid: Duration) -> Bool {
        guard let expiry = profile.effectiveExpiry else { return true }
        return expiry.timeIntervalSince(clock()) >= minValid.seconds
    }

    public static func noProfile(_ name: String, store: CredentialStore) -> PDSAuthError {
        PDSAuthError(.noProfile, "There is no profile \"\(Redaction.terminalSafe(name, limit: 64))\"",
                     profile: name, details: ["credentials": store.filePath])
    }
}

extension StoredProfile {
    /// The stored expiry, else the access token's own `exp` claim when it is a JWT.
    public var effectiveExpiry: Date? {
        expiresAt ?? JWTPreview(accessToken)?.expiry
    }
}

extension Duration {
    /// The span in seconds, as a `TimeInterval` for arithmetic with `Date`.
    public var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
