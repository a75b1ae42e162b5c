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
