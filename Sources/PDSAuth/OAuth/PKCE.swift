import Crypto
import PDSShared

/// Proof Key for Code Exchange, S256 only (RFC 7636 §4.1–4.2): a 256-bit random verifier
/// and its SHA-256 challenge.
package struct PKCE: Sendable, Equatable {
    package let verifier: String
    package let challenge: String
    package let method = "S256"

    package init(verifier: String = SecureRandom.token(bytes: 32)) {
        self.verifier = verifier
        self.challenge = Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }
}
