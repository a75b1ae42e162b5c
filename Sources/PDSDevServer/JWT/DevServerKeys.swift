import CryptoExtras
import JWTKit
import Logging
import PDSShared
import Synchronization

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

/// Makes a server's keys on a thread of its own, started with the server, so that the
/// server binds and answers at once: RSA-2048 generation takes about 0.2 s in a release
/// build, seconds in a debug build, and was most of `login --dev`'s start. Only what needs
/// a key waits: ``keys()`` returns as soon as they exist, at once after that.
final class KeyGeneration: Sendable {
    private enum State {
        case running([CheckedContinuation<Result<GeneratedKeys, DevServerError>, Never>])
        case finished(Result<GeneratedKeys, DevServerError>)
    }

    private let state = Mutex(State.running([]))

    init(needsJWTAppKey: Bool, source: @escaping DevServerKeys.Source, logger: Logger) {
        BlockingThread.start { [self] in
            let result = Result { () throws(DevServerError) in
                try GeneratedKeys(try source(needsJWTAppKey), needsJWTAppKey: needsJWTAppKey)
            }
            if case .failure(let error) = result {
                logger.error("The dev server's RSA keys could not be generated", metadata: ["error": "\(error)"])
            }
            finish(result)
        }
    }

    /// The keys, once made, or why they could not be.
    func keys() async -> Result<GeneratedKeys, DevServerError> {
        if let finished = finishedResult() { return finished }
        return await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> Result<GeneratedKeys, DevServerError>? in
                switch state {
                case .finished(let result):
                    return result
                case .running(var waiting):
                    waiting.append(continuation)
                    state = .running(waiting)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// How many callers of ``keys()`` are waiting: tests wait for their requests to be
    /// parked here before they let the keys be made.
    var waiting: Int {
        state.withLock { state in
            if case .running(let waiting) = state { return waiting.count }
            return 0
        }
    }

    private func finishedResult() -> Result<GeneratedKeys, DevServerError>? {
        state.withLock { state in
            if case .finished(let result) = state { return result }
            return nil
        }
    }

    private func finish(_ result: Result<GeneratedKeys, DevServerError>) {
        let waiting = state.withLock { state -> [CheckedContinuation<Result<GeneratedKeys, DevServerError>, Never>] in
            guard case .running(let waiting) = state else { return [] }
            state = .finished(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }
}

/// A server's keys and what is derived from them, as the endpoints need them.
struct GeneratedKeys: Sendable {
    var signing: RSAPrivateKey
    /// The signing key's RFC 7638 thumbprint, its `kid`.
    var signingKID: String
    var jwks: JSONWebKeySet
    /// The key pair of JWT apps registered without a public key; nil when none is.
    var jwtApp: RSAPrivateKey?

    init(_ keys: DevServerKeys, needsJWTAppKey: Bool) throws(DevServerError) {
        let jwk: JSONWebKey
        do {
            jwk = try JSONWebKey(publicKey: keys.signing.publicKey)
        } catch {
            throw .keyGenerationFailed(String(describing: error))
        }
        signing = keys.signing
        signingKID = jwk.kid
        jwks = JSONWebKeySet(keys: [jwk])
        if needsJWTAppKey, keys.jwtApp == nil {
            jwtApp = try DevServerKeys.newKey()
        } else {
            jwtApp = needsJWTAppKey ? keys.jwtApp : nil
        }
    }
}
