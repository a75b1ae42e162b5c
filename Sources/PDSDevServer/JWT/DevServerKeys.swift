import CryptoExtras
import JWTKit

/// jwt-kit's RSA keys. Both swift-crypto and jwt-kit declare an `Insecure` namespace, so the
/// full name is spelled once here.
typealias RSAPrivateKey = JWTKit.Insecure.RSA.PrivateKey
typealias RSAPublicKey = JWTKit.Insecure.RSA.PublicKey

/// The RSA keys a server owns: the one that signs its access tokens and, when an app asks
/// for it, the key pair of JWT apps registered without a public key. 2048-bit, the minimum
/// RFC 7518 §3.3 allows for RS256.
///
/// Generated once per process, on first use: `pds-auth dev-server` and `login --dev` run
/// one server per process, so nothing changes for them, while a test process starting
/// dozens of servers does not spend seconds of CPU on each (RSA generation in a debug
/// build is slow). A server asks for them on a thread of its own (``KeyGeneration``), never
/// on the cooperative pool that every other task needs, and answers meanwhile.
struct DevServerKeys: Sendable {
    var signing: RSAPrivateKey
    var jwtApp: RSAPrivateKey?

    /// Where a server gets its keys: ``generate(needsJWTAppKey:)``, or in tests keys made
    /// once, or a source that is slow or fails. Called once per server, on its own thread.
    typealias Source = @Sendable (_ needsJWTAppKey: Bool) throws(DevServerError) -> DevServerKeys

    private static let processSigningKey = Result { () throws(DevServerError) in try newKey() }
    private static let processJWTAppKey = Result { () throws(DevServerError) in try newKey() }

    static func generate(needsJWTAppKey: Bool) throws(DevServerError) -> DevServerKeys {
        DevServerKeys(signing: try processSigningKey.get(), jwtApp: needsJWTAppKey ? try processJWTAppKey.get() : nil)
    }

    /// A fresh key, for a server whose configuration asks for one the process has not made.
    static func newKey() throws(DevServerError) -> RSAPrivateKey {
        do {
            return try RSAPrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        } catch {
            throw .keyGenerationFailed(String(describing: error))
        }
    }
}
