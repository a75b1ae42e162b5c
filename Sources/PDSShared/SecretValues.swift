import Crypto
import FoundationEssentials

/// Unpadded base64url (RFC 4648 §5), the encoding of PKCE challenges (RFC 7636 §4.2), JWT
/// parts (RFC 7515 §2) and JWK members (RFC 7518 §6.3.1).
package enum Base64URL {
    package static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacing("+", with: "-")
            .replacing("/", with: "_")
            .replacing("=", with: "")
    }

    /// Nil for anything that is not unpadded base64url: padding and the `+`/`/` alphabet are
    /// refused, so one JWT has exactly one spelling.
    package static func decode(_ text: some StringProtocol) -> Data? {
        guard text.utf8.allSatisfy(isAlphabet) else { return nil }
        var base64 = String(text).replacing("-", with: "+").replacing("_", with: "/")
        let remainder = base64.utf8.count % 4
        guard remainder != 1 else { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

/// Unguessable values: `state`, PKCE verifiers, temp-file names, codes, refresh tokens.
/// `SystemRandomNumberGenerator` is the operating system's CSPRNG (getrandom(2) on Linux),
/// as RFC 6749 §10.10 and RFC 7636 §7.1 require for values an attacker must not guess.
package enum SecureRandom {
    package static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `count` random bytes as unpadded base64url: 32 bytes → 43 characters, 256 bits.
    package static func token(bytes count: Int = 32) -> String {
        Base64URL.encode(bytes(count))
    }

    /// `count` random bytes as lower-case hex: 16 bytes give the 32 characters of a PDS
    /// refresh token (128 bits).
    package static func hex(bytes count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(count * 2)
        for byte in bytes(count) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Secret comparison whose duration depends on neither the secrets' contents nor their
/// lengths: both sides are hashed first and the digests compared without an early exit, so
/// someone probing a `state`, a start-page key or a client secret learns nothing by timing
/// (RFC 6749 §10.10, §10.12).
package enum ConstantTime {
    package static func equals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let a = Array(SHA256.hash(data: Array(lhs.utf8)))
        let b = Array(SHA256.hash(data: Array(rhs.utf8)))
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}
