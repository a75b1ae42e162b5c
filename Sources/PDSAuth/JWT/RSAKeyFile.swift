import Crypto
import CryptoExtras
import FoundationEssentials
import Glibc
import JWTKit

/// The app's RSA private key for JWT-bearer assertions, read from a PEM file (PKCS#1
/// `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). Every way the file can be wrong gets its own
/// message; the key itself never appears in one.
package struct RSAKeyFile: Sendable {
    package let path: String
    package let key: JWTKit.Insecure.RSA.PrivateKey
    /// Problems worth a warning but not a refusal (a key readable by others).
    package let warnings: [String]

    /// PDS, like jwt-kit, accepts RS256 keys of at least 2048 bits (NIST SP 800-131A).
    package static let minimumBits = 2048
    static let maxFileSize = 64 * 1024

    package init(path: String) throws(PDSAuthError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Self.error(
                errno == ENOENT ? .keyMissing : .keyUnreadable,
                errno == ENOENT ? "There is no private key file at this path" : "The private key file cannot be read", path: path)
        }
        // A PEM RSA key is a few KiB; a device, FIFO or huge file is not one.
        guard info.st_mode & S_IFMT == S_IFREG, info.st_size <= Self.maxFileSize,
            let data = FileManager.default.contents(atPath: path)
        else {
            throw Self.error(.keyUnreadable, "The private key file cannot be read as a PEM file of at most 64 KiB", path: path)
        }
        let pem = String(decoding: data, as: UTF8.self)
        try Self.rejectWrongKinds(pem, path: path)
        let backing: _RSA.Signing.PrivateKey
        do {
            // The "unsafe" parser also reads 1024-bit keys, so a small key gets the precise
            // "too small" error below instead of a vague parse failure. Nothing signs with it.
            backing = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem)
        } catch {
            throw Self.notRSA(pem)
                ? Self.error(.keyNotRSA, "The key is not an RSA key; PDS JWT apps sign with RS256", path: path)
                : Self.error(.keyUnparsable, "The private key file is not a PEM RSA private key (PKCS#1 or PKCS#8)", path: path)
        }
        guard backing.keySizeInBits >= Self.minimumBits else {
            throw Self.error(.keyTooSmall, "The RSA key has \(backing.keySizeInBits) bits; at least \(Self.minimumBits) are required", path: path)
        }
        do {
            key = try JWTKit.Insecure.RSA.PrivateKey(backing: backing)
        } catch {
            throw Self.error(.keyUnusable, "jwt-kit refused the RSA key", path: path)
        }
        warnings = Self.permissionWarnings(path)
    }

    /// Header-level mistakes: a public key or certificate, or an encrypted private key.
    static func rejectWrongKinds(_ pem: String, path: String) throws(PDSAuthError) {
        if pem.contains("BEGIN PUBLIC KEY") || pem.contains("BEGIN RSA PUBLIC KEY") || pem.contains("BEGIN CERTIFICATE") {
            throw error(.keyIsPublic, "The file holds a public key (or certificate), not the private key", path: path)
        }
        if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED") {
            throw error(.keyEncrypted, "The private key is encrypted with a passphrase", path: path)
        }
        if pem.contains("BEGIN EC PRIVATE KEY") || pem.contains("BEGIN OPENSSH PRIVATE KEY") {
            throw error(.keyNotRSA, "The key is not an RSA key; PDS JWT apps sign with RS256", path: path)
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

    static func error(_ code: PDSAuthError.Code, _ message: String, path: String) -> PDSAuthError {
        PDSAuthError(code, message, details: ["key": path])
    }
}
