import JWTKit

/// jwt-kit key collections for signing access tokens and verifying each JWT app's
/// assertions. `JWTKeyCollection` is an actor filled asynchronously, while ``DevServer``
/// is created synchronously, so the collections are built on first use.
actor KeyCollections {
    private let signingKey: RSAPrivateKey
    let signingKID: String
    private let appKeys: [String: RSAPublicKey]
    private var signer: JWTKeyCollection?
    private var verifiers: [String: JWTKeyCollection] = [:]

    init(signingKey: RSAPrivateKey, signingKID: String, appKeys: [String: RSAPublicKey]) {
        self.signingKey = signingKey
        self.signingKID = signingKID
        self.appKeys = appKeys
    }

    /// Signs with RS256 only: the one algorithm PDS access tokens use.
    func signing() async -> JWTKeyCollection {
        if let signer { return signer }
        let keys = JWTKeyCollection()
        await keys.add(rsa: signingKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: signingKID))
        signer = keys
        return keys
    }

    /// The app's public key alone, as RS256. No other key or algorithm is in the collection,
    /// so an assertion can only verify under that key (RFC 7523 §3 rule 9, RFC 8725 §3.1).
    func verifying(clientID: String) async -> JWTKeyCollection? {
        if let existing = verifiers[clientID] { return existing }
        guard let key = appKeys[clientID] else { return nil }
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256)
        verifiers[clientID] = keys
        return keys
    }
}
