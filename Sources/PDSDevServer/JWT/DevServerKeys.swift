import CryptoExtras
import JWTKit

/// The RSA keys a server instance owns: the one that signs its access tokens and, when an
/// app asks for it, the key pair of JWT apps registered without a public key. Generated
/// fresh at every start (2048-bit, the minimum RFC 7518 §3.3 allows for RS256); tests pass
/// pre-generated keys to save the generation time.
struct DevServerKeys: Sendable {
    var signing: RSAPrivateKey
    var jwtApp: RSAPrivateKey?

    static func generate(needsJWTAppKey: Bool) throws(DevServerError) -> DevServerKeys {
        DevServerKeys(signing: try newKey(), jwtApp: needsJWTAppKey ? try newKey() : nil)
    }

    static func newKey() throws(DevServerError) -> RSAPrivateKey {
        do {
            return try RSAPrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        } catch {
            throw .keyGenerationFailed(String(describing: error))
        }
    }
}
