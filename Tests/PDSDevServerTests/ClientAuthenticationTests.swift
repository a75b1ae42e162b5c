import Foundation
import Hummingbird
import Testing

@testable import PDSDevServer

@Suite struct ClientAuthenticationTests {
    static func basic(_ id: String, _ secret: String) -> HTTPFields {
        let credentials = FormEncoding.escape(id) + ":" + FormEncoding.escape(secret)
        return [.authorization: "Basic " + Data(credentials.utf8).base64EncodedString()]
    }

    /// Header values (the Basic credentials, the media type) are trimmed exactly as
    /// Foundation's `trimmingCharacters(in: .whitespaces)` did before the dev server gave up
    /// full Foundation: every scalar of that set, at either end, and nothing else.
    @Test func headerValuesAreTrimmedAsFoundationTrimsWhitespaces() {
        let members = (0...0x10FFFF).compactMap(Unicode.Scalar.init).filter(CharacterSet.whitespaces.contains)
        #expect(members.count > 10)
        let others: [Unicode.Scalar] = ["\n", "\r", "\u{B}", "\u{C}", "\u{85}", "\u{2028}", "\u{180E}", "\u{200C}", "\u{FEFF}", "x"]
        for edge in members + others {
            for text in [String(edge), "\(edge)dXNlcjpwYXNz\(edge)", "\(edge) \(edge)a b\(edge)\u{301}", " \u{301}\(edge)c "] {
                #expect(
                    String(text.trimmingWhitespaces()) == text.trimmingCharacters(in: .whitespaces),
                    "U+\(String(edge.value, radix: 16))")
            }
        }
    }

    @Test func wrongOrMissingSecretIsRefused() async throws {
        try await Fixture().test { client in
            let wrong = try await client.exchange(try await client.code(), secret: "wrong")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.pdsError?.code == "InvalidParameter.ClientSecret")
            #expect(wrong.pdsError?.message == "The client secret is wrong")
            let missing = try await client.exchange(try await client.code(), secret: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.pdsError?.code == "InvalidParameter.ClientSecret")
        }
    }

    @Test func aRefusedClientDoesNotSpendTheCode() async throws {
        try await Fixture().test { client in
            let code = try await client.code()
            #expect(try await client.exchange(code, secret: "wrong").status == .unauthorized)
            #expect(try await client.exchange(code).status == .ok)
        }
    }

    @Test func httpBasicWithEncodedSecretIsAccepted() async throws {
        try await Fixture().test { client in
            let code = try await client.code()
            let fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Fixture.redirectURI)]
            let response = try await client.token(fields, headers: Self.basic(Fixture.webClientID, Fixture.webSecret))
            #expect(response.status == .ok)
        }
    }

    @Test func httpBasicWithWrongSecretAsksForBasic() async throws {
        try await Fixture().test { client in
            let fields = [("grant_type", "authorization_code"), ("code", try await client.code()), ("redirect_uri", Fixture.redirectURI)]
            let response = try await client.token(fields, headers: Self.basic(Fixture.webClientID, "nope"))
            #expect(response.status == .unauthorized)
            #expect(response.header("WWW-Authenticate") == #"Basic realm="pds-dev-server""#)
        }
    }

    @Test func twoAuthenticationMethodsAreRefused() async throws {
        try await Fixture().test { client in
            let fields = [
                ("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", Fixture.redirectURI),
                ("client_secret", Fixture.webSecret),
            ]
            let response = try await client.token(fields, headers: Self.basic(Fixture.webClientID, Fixture.webSecret))
            #expect(response.status == .badRequest)
            #expect(response.pdsError?.code == "InvalidParameter")
            let mismatch = try await client.token(
                [("grant_type", "authorization_code"), ("client_id", Fixture.nativeClientID)],
                headers: Self.basic(Fixture.webClientID, Fixture.webSecret))
            #expect(mismatch.pdsError?.message.contains("differs") == true)
            let garbage = try await client.token([("grant_type", "authorization_code")], headers: [.authorization: "Basic !!!"])
            #expect(garbage.pdsError?.code == "InvalidParameter")
        }
    }

    @Test func unknownClientAndSecretOnPublicClientAreRefused() async throws {
        try await Fixture().test { client in
            let unknown = try await client.exchange("x", clientID: "nobody")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.pdsError?.code == "InvalidParameter.ClientId")
            let publicWithSecret = try await client.exchange("x", clientID: Fixture.nativeClientID, secret: "invented")
            #expect(publicWithSecret.status == .unauthorized)
            #expect(publicWithSecret.pdsError?.code == "InvalidParameter.ClientSecret")
            let noClient = try await client.token([("grant_type", "authorization_code"), ("code", "x")])
            #expect(noClient.pdsError?.code == "InvalidParameterMissing")
        }
    }

    @Test func publicClientMaySendAnEmptyBasicPassword() async throws {
        try await Fixture().test { client in
            let code = try await client.code(clientID: Fixture.nativeClientID, challenge: Fixture.challenge)
            let fields = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Fixture.redirectURI),
                ("code_verifier", Fixture.verifier),
            ]
            let response = try await client.token(fields, headers: Self.basic(Fixture.nativeClientID, ""))
            #expect(response.status == .ok)
        }
    }
}
