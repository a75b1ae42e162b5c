import JWTKit

/// jwt-kit's RSA keys. Both swift-crypto and jwt-kit declare an `Insecure` namespace, so the
/// full name is spelled once here.
typealias RSAPrivateKey = JWTKit.Insecure.RSA.PrivateKey
typealias RSAPublicKey = JWTKit.Insecure.RSA.PublicKey
