import PDSTestVectors
import Testing

@testable import PDSDevServer

/// The dev server's own protocol code against `Tests/Vectors/`, the expectations the client
/// (PDSAuthTests) is held to as well: the two implementations stay separate on purpose (see
/// `PDSShared`'s documentation), and these vectors are what keeps them in agreement.
@Suite struct SharedVectorsTests {
    @Test func loopbackHostsMatchTheSharedVectors() throws {
        let vectors = try TestVectors.loopbackHosts()
        #expect(!vectors.loopback.isEmpty && !vectors.not_loopback.isEmpty)
        for host in vectors.loopback { #expect(LoopbackHost.isLoopback(host), "\(host)") }
        for host in vectors.not_loopback { #expect(!LoopbackHost.isLoopback(host), "\(host)") }
    }

    @Test func formEncodingMatchesTheSharedVectors() throws {
        let vectors = try TestVectors.formEncoding()
        #expect(!vectors.encode.isEmpty)
        for pair in vectors.encode { #expect(FormEncoding.escape(pair[0]) == pair[1], "\(pair[0])") }
    }

    @Test func formDecodingMatchesTheSharedVectors() throws {
        let vectors = try TestVectors.formEncoding()
        #expect(!vectors.decode.isEmpty)
        for entry in vectors.decode {
            // Each name and value, in order, as PercentDecoding reads it...
            let pairs = entry.query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false) }
            let decoded = pairs.map { pair in
                [pair[0], pair.count > 1 ? pair[1] : ""].map { PercentDecoding.decode($0) ?? "(refused)" }
            }
            #expect(decoded == entry.fields, "\(entry.query)")
            // ...and as the handlers see them, where an empty value counts as absent (RFC 6749 §3.1).
            let fields = try #require(FormFields(encoded: entry.query), "\(entry.query)")
            for field in entry.fields {
                #expect(fields[field[0]] == (field[1].isEmpty ? nil : field[1]), "\(entry.query): \(field[0])")
            }
        }
    }

    @Test func pkceChallengeMatchesTheSharedVector() throws {
        let pkce = try TestVectors.formEncoding().pkce
        #expect(PKCE.s256Challenge(for: pkce.verifier) == pkce.challenge)
        #expect(PKCE.verify(verifier: pkce.verifier, challenge: pkce.challenge))
    }
}
