import Crypto
import JWTKit
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// jwt-kit key collections for signing access tokens and verifying each JWT app's
/// assertions. `JWTKeyCollection` is an actor filled asynchronously, and the server's own
/// keys are made in the background (``KeyGeneration``), so the collections are built on
/// first use. Keys an app registered are known from the start and never wait.
actor KeyCollections {
    nonisolated let generation: KeyGeneration
    /// The public keys JWT apps registered, by client id.
    private let registeredAppKeys: [String: RSAPublicKey]
    /// The JWT apps registered without a public key: they use the generated key pair.
    private let generatedKeyApps: Set<String>
    private var signer: JWTKeyCollection?
    private var verifiers: [String: JWTKeyCollection] = [:]

    init(generation: KeyGeneration, registeredAppKeys: [String: RSAPublicKey], generatedKeyApps: Set<String>) {
        self.generation = generation
        self.registeredAppKeys = registeredAppKeys
        self.generatedKeyApps = generatedKeyApps
    }

    /// The server's keys, waiting for them if they are still being made. A server whose
    /// keys could not be made refuses what needs them with a 500 `InternalError`.
    nonisolated func generated() async throws(PDSError) -> GeneratedKeys {
        switch await generation.keys() {
        case .success(let keys): keys
        case .failure(let error): throw PDSError(.internalError, "The dev server has no RSA keys: \(error)")
        }
    }

    /// Signs with RS256 only: the one algorithm PDS access tokens use.
    func signing() async throws(PDSError) -> (keys: JWTKeyCollection, kid: String) {
        let generated = try await generated()
        if let signer { return (signer, generated.signingKID) }
        let keys = JWTKeyCollection()
        await keys.add(rsa: generated.signing, digestAlgorithm: .sha256, kid: JWKIdentifier(string: generated.signingKID))
        signer = keys
        return (keys, generated.signingKID)
    }

    /// The app's public key alone, as RS256. No other key or algorithm is in the collection,
    /// so an assertion can only verify under that key (RFC 7523 §3 rule 9, RFC 8725 §3.1).
    func verifying(clientID: String) async throws(PDSError) -> JWTKeyCollection? {
        if let existing = verifiers[clientID] { return existing }
        let key: RSAPublicKey
        if let registered = registeredAppKeys[clientID] {
            key = registered
        } else if generatedKeyApps.contains(clientID), let generated = try await generated().jwtApp {
            key = generated.publicKey
        } else {
            return nil
        }
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256)
        verifiers[clientID] = keys
        return keys
    }
}

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

/// A JWK Set (RFC 7517 §5), the body of `/.well-known/jwks.json`.
struct JSONWebKeySet: Codable, Sendable, Equatable {
    var keys: [JSONWebKey]
}
