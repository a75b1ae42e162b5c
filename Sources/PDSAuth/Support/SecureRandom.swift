#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Unguessable values (state, PKCE verifiers, temp-file names). `SystemRandomNumberGenerator`
/// is the OS CSPRNG (getrandom(2) on Linux), as RFC 6749 §10.10 and RFC 7636 §7.1 require.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `count` random bytes as unpadded base64url: 32 bytes → 43 characters, 256 bits.
    public static func token(bytes count: Int = 32) -> String {
        Base64URL.encode(bytes(count))
    }
}
