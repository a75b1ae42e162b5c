#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Unguessable identifiers: codes, refresh tokens, pending-request ids, request ids.
/// `SystemRandomNumberGenerator` is the operating system's CSPRNG (getrandom(2) on Linux,
/// arc4random on Darwin), which RFC 6749 §10.10 requires for credentials an attacker must
/// not guess.
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `count` random bytes as lower-case hex: 16 bytes give the 32 characters of a PDS
    /// refresh token (128 bits).
    static func hex(bytes count: Int) -> String {
        bytes(count).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// `count` random bytes as unpadded base64url: 32 bytes → 43 characters, 256 bits.
    static func token(bytes count: Int = 32) -> String {
        Base64URL.encode(bytes(count))
    }
}
