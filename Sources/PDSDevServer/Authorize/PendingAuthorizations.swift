import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
