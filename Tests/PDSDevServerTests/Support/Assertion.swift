import Foundation
import JWTKit
import PDSShared

@testable import PDSDevServer

/// JWT-bearer assertions built by hand, so a test controls every header and claim,
/// including the wrong ones.
struct Assertion: Encodable, Sendable {
    enum Audience: Encodable, Sendable {
        case one(String)
        case many([String])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .one(let value): try container.encode(value)
            case .many(let values): try container.encode(values)
            }
        }
    }

    var iss: String? = Fixture.jwtClientID
    var sub: String? = "user-1"
    var sub_type: String? = "user"
    var aud: Audience? = .one(Fixture.domainID)
    var exp: Int?
    var nbf: Int?
    var iat: Int?
    var jti: String? = UUID().uuidString
    var auto_create: Bool?

    /// Valid claims at `now`: expiring in five minutes, issued a little earlier.
    init(now: Date) {
        let seconds = Int(now.timeIntervalSince1970)
        exp = seconds + 300
        iat = seconds - 5
        nbf = seconds - 5
    }

    /// Signs with `key` under `alg`, which the header names whatever the key really is.
    func signed(alg: String = "RS256", by key: any JWTAlgorithm) throws -> String {
        let input = Self.part(Data(#"{"alg":"\#(alg)","typ":"JWT"}"#.utf8)) + "." + Self.part(try JSONEncoder().encode(self))
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }

    /// `alg: none` with an empty signature (RFC 7519 §6.1).
    func unsecured() throws -> String {
        Self.part(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Self.part(try JSONEncoder().encode(self)) + "."
    }

    private static func part(_ data: Data) -> String {
        Base64URL.encode(data)
    }

    /// The generated JWT-app key as RS256 (or another RSA digest).
    static func rsa(_ key: RSAPrivateKey = TestKeys.server.jwtApp!, digest: DigestAlgorithm = .sha256) async throws -> any JWTAlgorithm {
        try await JWTKeyCollection().add(rsa: key, digestAlgorithm: digest).getKey()
    }

    /// HS256 keyed with the bytes of the app's public key PEM: the classic algorithm
    /// confusion attack (RFC 8725 §2.1).
    static func hmacWithPublicKey() async throws -> any JWTAlgorithm {
        let pem = TestKeys.server.jwtApp!.publicKey.pemRepresentation
        return try await JWTKeyCollection().add(hmac: HMACKey(from: pem), digestAlgorithm: .sha256).getKey()
    }
}
