import Crypto
import JWTKit
import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An RSA public key as a JWK (RFC 7517 §4, RFC 7518 §6.3.1) for the server's JWKS.
struct JSONWebKey: Codable, Sendable, Equatable {
    var kty = "RSA"
    var kid: String
    var use = "sig"
    var alg = "RS256"
    /// Modulus and exponent: unsigned big-endian, base64url, no leading zero octets
    /// (RFC 7518 §6.3.1.1).
    var n: String
    var e: String

    init(publicKey: RSAPublicKey) throws {
        let primitives = try publicKey.getKeyPrimitives()
        n = Base64URL.encode(primitives.modulus.drop { $0 == 0 })
        e = Base64URL.encode(primitives.publicExponent.drop { $0 == 0 })
        kid = Self.thumbprint(n: n, e: e)
    }

    /// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no
    /// whitespace. A deterministic `kid` that names exactly this key.
    static func thumbprint(n: String, e: String) -> String {
        let canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }
}
