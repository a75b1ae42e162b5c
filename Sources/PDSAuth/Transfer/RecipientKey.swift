import Crypto
import FoundationEssentials
import PDSShared

/// The one-time key a receiving `pds-auth import` prints: an X25519 public key (RFC 7748)
/// the session is sealed to (RFC 9180's DHKEM(X25519, HKDF-SHA256)), written
/// `pds-auth-recipient-1:` + base64url(key ‖ check), where `check` is the first 4 bytes of
/// SHA-256(prefix ‖ key). The check makes a mistyped or truncated key an error at `export`,
/// before anything is sealed to a key nobody holds and the session removed. Its private half
/// lives only in the memory of the import process that made it.
package struct RecipientKey: Sendable, Equatable {
    package static let prefix = "pds-auth-recipient-1:"
    package let publicKey: Curve25519.KeyAgreement.PublicKey

    package init(_ publicKey: Curve25519.KeyAgreement.PublicKey) { self.publicKey = publicKey }

    /// Parses what `text` says; every mistake is the same `invalidRequest` naming the key.
    package init(parsing text: String) throws(PDSAuthError) {
        let trimmed = text.trimmed()
        guard trimmed.hasPrefix(Self.prefix), trimmed.utf8.count < 200,
            let bytes = Base64URL.decode(trimmed.dropFirst(Self.prefix.count)), bytes.count == 36,
            Array(bytes.suffix(4)) == Self.check(bytes.prefix(32)),
            let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes.prefix(32))
        else {
            throw PDSAuthError(.invalidRequest, "That is not a recipient key printed by `pds-auth import` (expected \(Self.prefix)…, copied whole)")
        }
        publicKey = key
    }

    package static func == (lhs: RecipientKey, rhs: RecipientKey) -> Bool { lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation }

    package var text: String {
        let key = Array(publicKey.rawRepresentation)
        return Self.prefix + Base64URL.encode(key + Self.check(key[...]))
    }

    private static func check(_ key: some DataProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Data(prefix.utf8) + Data(key)).prefix(4))
    }
}
