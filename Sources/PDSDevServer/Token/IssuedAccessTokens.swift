#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The grant behind each access token this server signed, by the token's `jti`, until the
/// token expires.
///
/// A valid signature only proves the token was signed with this server's key, and every
/// server in a test process shares one key (``DevServerKeys``); the record proves this very
/// server issued it, and names the grant whose revocation must kill it (RFC 7009 §2.1,
/// RFC 6749 §4.1.2 on a replayed code). The token itself stays as PDS shapes it.
actor IssuedAccessTokens {
    struct Record: Sendable, Codable, Equatable {
        var grant: Grant
        var expiresAt: Date
    }

    private var issued: [String: Record]
    /// Hears every change, to keep it across restarts (``DevServerStateFile``).
    private let journal: (@Sendable ([String: Record]) -> Void)?

    init(_ issued: [String: Record] = [:], journal: (@Sendable ([String: Record]) -> Void)? = nil) {
        self.issued = issued
        self.journal = journal
    }

    func record(_ jti: String, grant: Grant, expiresAt: Date, now: Date) {
        // An expired token is refused before it is looked up, so its record can go.
        issued = issued.filter { $0.value.expiresAt > now }
        issued[jti] = Record(grant: grant, expiresAt: expiresAt)
        journal?(issued)
    }

    /// The grant of the token `jti`; nil when this server has no record of issuing it.
    func grant(for jti: String) -> Grant? {
        issued[jti]?.grant
    }
}
