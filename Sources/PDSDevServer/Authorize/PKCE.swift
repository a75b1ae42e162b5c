import Crypto
import PDSShared

/// Proof Key for Code Exchange, S256 only (RFC 7636).
enum PKCE {
    /// RFC 7636 §4.1 and §4.2: 43 to 128 characters of `ALPHA / DIGIT / "-" / "." / "_" / "~"`,
    /// the grammar of both verifiers and challenges.
    static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count) && value.utf8.allSatisfy(FormEncoding.isUnreserved)
    }

    /// RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
    static func s256Challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }

    /// RFC 7636 §4.6: the server recomputes the challenge from the verifier and compares.
    static func verify(verifier: String, challenge: String) -> Bool {
        ConstantTime.equals(s256Challenge(for: verifier), challenge)
    }
}
