import Crypto
import FoundationEssentials
import PDSShared

/// A session sealed for one `pds-auth import`, as `pds-auth export` prints it: one line,
/// `pds-auth-session-1:` + base64url(recipient key ‖ enc ‖ ciphertext).
///
/// The seal is HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
/// ChaCha20-Poly1305 (`HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly`), to the recipient's
/// key, with `info` naming this format and the recipient key again as associated data, so the
/// blob opens only with that key's private half, and any changed byte fails to open. The
/// plaintext is JSON: the whole profile (settings and secrets), the name it had, and when
/// the seal was made and expires (10 minutes later).
///
/// Base mode authenticates no sender: whoever knows a recipient key can seal something to it.
/// The receiving process trusts what arrives because it arrives on its own stdin (or file),
/// which the user controls, within the one-time key's life; it then shows what it imported.
package enum SealedSession {
    package static let prefix = "pds-auth-session-1:"
    /// How long a sealed session can be opened after it was made.
    package static let lifetime: TimeInterval = 600
    /// Clock difference between the two machines tolerated on the seal's times.
    package static let clockSkew: TimeInterval = 120
    /// A line longer than this is not one `export` printed (profiles are bounded well below).
    package static let maxLength = 256 * 1024
    static let info = Data("pds-auth sealed session v1".utf8)
    static let ciphersuite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly

    /// What is sealed.
    struct Contents: Codable {
        var format: Int
        var sourceProfile: String
        var createdAt: Date
        var expiresAt: Date
        var profile: StoredProfile
    }

    /// Seals `profile` (named `name`) for `recipient`. The store-specific bookkeeping (which
    /// Secret Service item) stays behind: the receiver decides where the secrets go.
    package static func seal(_ profile: StoredProfile, name: String, to recipient: RecipientKey, now: Date = Date()) throws(PDSAuthError) -> String {
        // Whole seconds, as the times are written: the lifetime then reads back exactly.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        var portable = profile
        portable.secretStore = .file
        portable.secretID = nil
        portable.secretGeneration = nil
        let contents = Contents(format: 1, sourceProfile: name, createdAt: now, expiresAt: now.addingTimeInterval(lifetime), profile: portable)
        do {
            let plaintext = try CredentialsFile.encoder().encode(contents)
            let key = recipient.publicKey.rawRepresentation
            var sender = try HPKE.Sender(recipientKey: recipient.publicKey, ciphersuite: ciphersuite, info: info)
            let ciphertext = try sender.seal(plaintext, authenticating: associatedData(key))
            return prefix + Base64URL.encode(Array(key) + Array(sender.encapsulatedKey) + Array(ciphertext))
        } catch {
            throw PDSAuthError(.internal, "Could not seal the session: \(error)")
        }
    }

    /// Opens a sealed line with the import's private key; the profile and the name it had.
    /// Everything that is not a seal made for this key within its lifetime is refused.
    package static func open(
        _ line: String, with privateKey: Curve25519.KeyAgreement.PrivateKey, now: Date = Date()
    ) throws(PDSAuthError) -> (profile: StoredProfile, sourceName: String) {
        let text = line.trimmed()
        guard text.utf8.count <= maxLength, text.hasPrefix(prefix), let bytes = Base64URL.decode(text.dropFirst(prefix.count)) else {
            throw invalid("It is not a sealed session printed by `pds-auth export` (expected \(prefix)…, one whole line)")
        }
        guard bytes.count > 64 + 16 else { throw invalid("The sealed session is truncated") }
        let key = privateKey.publicKey.rawRepresentation
        guard bytes.prefix(32) == key else {
            throw invalid("The session was sealed for another recipient key, not the one this import printed")
        }
        let contents: Contents
        do {
            var recipient = try HPKE.Recipient(privateKey: privateKey, ciphersuite: ciphersuite, info: info, encapsulatedKey: bytes[32..<64])
            let plaintext = try recipient.open(bytes[64...], authenticating: associatedData(key))
            contents = try CredentialsFile.decoder().decode(Contents.self, from: plaintext)
        } catch {
            throw invalid("The sealed session does not open: it was truncated or altered")
        }
        try check(contents, now: now)
        return (contents.profile, contents.sourceProfile)
    }

    /// Times and contents a real export produces: made within the last lifetime (allowing for
    /// clock skew), expiring exactly one lifetime later, a usable profile with endpoints
    /// pds-auth would use.
    static func check(_ contents: Contents, now: Date) throws(PDSAuthError) {
        guard contents.format == 1, contents.expiresAt.timeIntervalSince(contents.createdAt) == lifetime,
            contents.createdAt.timeIntervalSince(now) <= clockSkew
        else {
            throw PDSAuthError(
                .sealedSessionExpired,
                "The sealed session claims an impossible time (made \(contents.createdAt.formatted(.iso8601)), valid until \(contents.expiresAt.formatted(.iso8601))); nothing was saved"
            )
        }
        guard now.timeIntervalSince(contents.expiresAt) <= clockSkew else {
            throw PDSAuthError(.sealedSessionExpired, "The sealed session expired at \(contents.expiresAt.formatted(.iso8601)); nothing was saved")
        }
        if let problem = contents.profile.problem { throw invalid("The sealed session's profile cannot be used: \(problem)") }
        let endpoints = contents.profile.endpoints
        for (url, what) in [(endpoints.base, "endpoint"), (endpoints.authorizeURL, "authorize URL"), (endpoints.tokenURL, "token URL")]
            + (endpoints.revokeURL.map { [($0, "revoke URL")] } ?? [])
        {
            do { _ = try ProviderEndpoints.checked(url.absoluteString, what: what) } catch {
                throw invalid("The sealed session's profile names an endpoint pds-auth would not use: \(error.message)")
            }
        }
        guard ProfileChoice.isValidName(contents.sourceProfile) else { throw invalid("The sealed session names no valid profile") }
    }

    private static func associatedData(_ key: some DataProtocol) -> Data { Data(prefix.utf8) + Data(key) }

    private static func invalid(_ message: String) -> PDSAuthError {
        PDSAuthError(.sealedSessionInvalid, message.hasSuffix("saved") ? message : message + "; nothing was saved")
    }
}
