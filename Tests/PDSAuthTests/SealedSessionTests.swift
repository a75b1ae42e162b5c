import Crypto
import Foundation
import PDSAuthTestSupport
import PDSShared
import Testing

@testable import PDSAuth

/// The sealed session format (RFC 9180 HPKE, X25519 / HKDF-SHA256 / ChaCha20-Poly1305) and
/// what opening one refuses.
@Suite struct SealedSessionTests {
    let receiver = SessionReceiver()
    let profile = try! StoredProfile.fixture(endpoint: "https://bj1.api.aliyunpds.com", accessToken: "access", refreshToken: "refresh-token")

    @Test func aSealOpensOnlyForItsRecipientAndCarriesTheProfile() throws {
        let line = try SealedSession.seal(profile, name: "work", to: receiver.recipient)
        let (opened, name) = try receiver.open(line)
        #expect(opened.refreshToken == "refresh-token" && opened.accessToken == "access" && opened.endpoints == profile.endpoints && name == "work")
        #expect(abs(opened.expiresAt!.timeIntervalSince(profile.expiresAt!)) < 1, "times to the second, as the file keeps them")
        #expect(!line.contains("refresh-token"), "sealed, not encoded")
        #expect(throws: PDSAuthError.self) { try SessionReceiver().open(line) }
        // Two seals of the same profile differ (a fresh ephemeral key each time).
        #expect(try SealedSession.seal(profile, name: "work", to: receiver.recipient) != line)
    }

    @Test func theSealIsHPKEWithTheNamedSuite() throws {
        // Open it by hand with swift-crypto's HPKE: the format is what the documentation says.
        let key = Curve25519.KeyAgreement.PrivateKey()
        let line = try SealedSession.seal(profile, name: "work", to: RecipientKey(key.publicKey))
        let bytes = try #require(Base64URL.decode(String(line.dropFirst(SealedSession.prefix.count))))
        #expect(bytes.prefix(32) == key.publicKey.rawRepresentation)
        var recipient = try HPKE.Recipient(
            privateKey: key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: Data("pds-auth sealed session v1".utf8),
            encapsulatedKey: bytes[32..<64])
        let plaintext = try recipient.open(bytes[64...], authenticating: Data(SealedSession.prefix.utf8) + key.publicKey.rawRepresentation)
        let json = try #require(try JSONSerialization.jsonObject(with: plaintext) as? [String: Any])
        #expect(json["sourceProfile"] as? String == "work" && (json["profile"] as? [String: Any])?["refreshToken"] as? String == "refresh-token")
    }

    /// Times a real export cannot produce.
    @Test(arguments: [
        ("expired", -3600.0, SealedSession.lifetime),
        ("made in the future", 3600.0, SealedSession.lifetime),
        ("valid for a year", 0.0, 365 * 86400.0),
        ("valid for a second", 0.0, 1.0),
    ])
    func impossibleTimesAreRefused(_ kind: String, _ madeAgo: TimeInterval, _ lifetime: TimeInterval) throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let made = now.addingTimeInterval(madeAgo)
        let contents = SealedSession.Contents(
            format: 1, sourceProfile: "p", createdAt: made, expiresAt: made.addingTimeInterval(lifetime), profile: profile)
        #expect(throws: PDSAuthError.self, "\(kind)") { try SealedSession.check(contents, now: now) }
        do { try SealedSession.check(contents, now: now) } catch { #expect(error.code == .sealedSessionExpired, "\(kind)") }
        let fine = SealedSession.Contents(
            format: 1, sourceProfile: "p", createdAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(540), profile: profile)
        try SealedSession.check(fine, now: now)
    }

    @Test func aProfileWithEndpointsPdsAuthWouldNotUseIsRefused() throws {
        var bad = profile
        bad.endpoints.tokenURL = URL(string: "http://attacker.example/token")!
        let line = try SealedSession.seal(bad, name: "p", to: receiver.recipient)
        #expect { try receiver.open(line) } throws: { ($0 as? PDSAuthError)?.code == .sealedSessionInvalid }
    }

    @Test func theRecipientKeyCarriesACheck() throws {
        let text = receiver.recipient.text
        #expect(try RecipientKey(parsing: text) == receiver.recipient)
        #expect(try RecipientKey(parsing: "  " + text + "\n") == receiver.recipient, "copied with white space")
        for damaged in [
            String(text.dropLast()), text + "A", text.replacingOccurrences(of: "recipient-1", with: "recipient-2"), "",
            String(text.prefix(30)) + (text[text.index(text.startIndex, offsetBy: 30)] == "x" ? "y" : "x") + text.dropFirst(31),
        ] {
            #expect(throws: PDSAuthError.self, "\(damaged)") { try RecipientKey(parsing: damaged) }
        }
    }

    @Test func oversizedAndGarbageLinesAreRefusedQuickly() {
        for line in [
            "", "hello", SealedSession.prefix, SealedSession.prefix + "!!!!",
            SealedSession.prefix + String(repeating: "A", count: SealedSession.maxLength),
        ] {
            #expect { try receiver.open(line) } throws: { ($0 as? PDSAuthError)?.code == .sealedSessionInvalid }
        }
    }
}
