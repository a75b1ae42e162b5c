/// A JWK Set (RFC 7517 §5), the body of `/.well-known/jwks.json`.
struct JSONWebKeySet: Codable, Sendable, Equatable {
    var keys: [JSONWebKey]
}
