#if canImport(Glibc)
import Glibc
#endif
import Crypto
import CryptoExtras
import JWTKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The app's RSA private key for JWT-bearer assertions, read from a PEM file (PKCS#1
/// `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). Every way the file can be wrong gets its own
/// message; the key itself never appears in one.
public struct RSAKeyFile: Sendable {
    public let path: String
    public let key: JWTKit.Insecure.RSA.PrivateKey
    /// Problems worth a warning but not a refusal (a key readable by others).
    public let warnings: [String]

    /// PDS, like jwt-kit, accepts RS256 keys of at least 2048 bits (NIST SP 800-131A).
    public static let minimumBits = 2048

    public init(path: String) throws(PDSAuthError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = access(path, F_OK) == 0
            throw Self.error(exists ? "key_unreadable" : "key_missing",
                             exists ? "The private key file cannot be read" : "There is no private key file at this path",
                             hint: exists ? "Check the file's owner and permissions." : "Pass --private-key with the PEM file of the app's RSA private key.",
                             path: path)
        }
        let pem = String(decoding: data, as: UTF8.self)
        try Self.rejectWrongKinds(pem, path: path)
        let backing: _RSA.Signing.PrivateKey
        do {
            // The "unsafe" parser also reads 1024-bit keys, so a small key gets the precise
            // "too small" error below instead of a vague parse failure. Nothing signs with it.
            backing = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem)
        } catch {
            throw Self.notRSA(pem) ? Self.error("key_not_rsa", "The key is not an RSA key; PDS JWT apps sign with RS256",
                                                 hint: "Generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem", path: path)
                : Self.error("key_unparsable", "The private key file is not a PEM RSA private key (PKCS#1 or PKCS#8)",
                             hint: "Check the file; it should begin with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----.", path: path)
        }
        guard backing.keySizeInBits >= Self.minimumBits else {
            throw Self.error("key_too_small", "The RSA key has \(backing.keySizeInBits) bits; at least \(Self.minimumBits) are required",
                             hint: "Generate a 2048-bit (or larger) key and upload its public key to the app.", path: path)
        }
        do {
            key = try JWTKit.Insecure.RSA.PrivateKey(backing: backing)
        } catch {
            throw Self.error("key_unusable", "jwt-kit refused the RSA key", hint: "Generate a new 2048-bit key.", path: path)
        }
        warnings = Self.permissionWarnings(path)
    }

    /// Header-level mistakes: a public key or certificate, or an encrypted private key.
    static func rejectWrongKinds(_ pem: String, path: String) throws(PDSAuthError) {
        if pem.contains("BEGIN PUBLIC KEY") || pem.contains("BEGIN RSA PUBLIC KEY") || pem.contains("BEGIN CERTIFICATE") {
            throw error("key_is_public", "The file holds a public key (or certificate), not the private key",
                        hint: "Give the private key here; the public key is what you upload to the PDS console.", path: path)
        }
        if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED") {
            throw error("key_encrypted", "The private key is encrypted with a passphrase",
                        hint: "Decrypt a copy for pds-auth: openssl pkey -in key.pem -out key-plain.pem (and keep it 0600).", path: path)
        }
        if pem.contains("BEGIN EC PRIVATE KEY") || pem.contains("BEGIN OPENSSH PRIVATE KEY") {
            throw error("key_not_rsa", "The key is not an RSA key; PDS JWT apps sign with RS256",
                        hint: "Generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem", path: path)
        }
    }

    /// True when the PEM parses as one of the elliptic-curve key types instead.
    static func notRSA(_ pem: String) -> Bool {
        (try? P256.Signing.PrivateKey(pemRepresentation: pem)) != nil
            || (try? P384.Signing.PrivateKey(pemRepresentation: pem)) != nil
            || (try? P521.Signing.PrivateKey(pemRepresentation: pem)) != nil
    }

    static func permissionWarnings(_ path: String) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return [] }
        let mode = String(info.st_mode & 0o777, radix: 8)
        return ["the private key file \(path) is readable by group or others (mode \(mode)); run chmod 600 on it"]
    }

    static func error(_ code: String, _ message: String, hint: String, path: String) -> PDSAuthError {
        PDSAuthError(.configuration, code: code, message, hint: hint, context: ["key": path])
    }
}
