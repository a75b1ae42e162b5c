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
