import Foundation
import JWTKit
import PDSShared
import Testing

@testable import PDSDevServer

/// Access tokens altered the ways an attacker or a confused client would alter them, built
/// from a genuine one so that only the altered part is wrong.
enum ForgedToken {
    /// The same header and claims, signed with `key` instead of the server's.
    static func resigned(_ token: String, by key: RSAPrivateKey) async throws -> String {
        let parts = token.split(separator: ".")
        let input = parts[0] + "." + parts[1]
        return input + "." + Base64URL.encode(try await Assertion.rsa(key).sign(Array(input.utf8)))
    }

    /// The same claims under `alg: none` with an empty signature (RFC 7519 §6.1).
    static func unsecured(_ token: String) -> String {
        let parts = token.split(separator: ".")
        return Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
    }

    /// The genuine header and signature around a payload that names another user.
    static func tampered(_ token: String) throws -> String {
        let parts = token.split(separator: ".")
        let payload = String(decoding: try #require(Base64URL.decode(parts[1]), "payload"), as: UTF8.self)
        let forged = payload.replacing(#""sub":"user-1""#, with: #""sub":"user-2""#)
        return parts[0] + "." + Base64URL.encode(Data(forged.utf8)) + "." + parts[2]
    }
}
