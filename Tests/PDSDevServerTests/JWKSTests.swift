import Foundation
import PDSShared
import Testing

@testable import PDSDevServer

@Suite struct JWKSTests {
    @Test func keySetDescribesTheSigningKey() async throws {
        try await Fixture().test { client in
            let response = try await client.get("/.well-known/jwks.json")
            #expect(response.status == .ok)
            #expect(response.header("x-ca-request-id") != nil)
            let set = try response.decode(JSONWebKeySet.self)
            let key = try #require(set.keys.first)
            #expect(set.keys.count == 1)
            #expect((key.kty, key.alg, key.use, key.e) == ("RSA", "RS256", "sig", "AQAB"))
            let modulus = try #require(Base64URL.decode(key.n), "modulus")
            #expect(modulus.count == 256)
            #expect(key.kid == JSONWebKey.thumbprint(n: key.n, e: key.e))
            #expect(key == (try JSONWebKey(publicKey: TestKeys.server.signing.publicKey)))
        }
    }

    /// RFC 7638 §3.1.
    @Test func thumbprintMatchesTheRFCExample() {
        let n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        #expect(JSONWebKey.thumbprint(n: n, e: "AQAB") == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }
}
