import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// RFC 9207's `iss` check (RFC 9700 §4.4 mix-up defence): when the profile's issuer is known,
/// a redirect carrying this sign-in's state but another issuer's `iss`, or none where the
/// issuer advertises it, is refused like a wrong state: a page, an event, no exchange, and
/// the wait goes on. Paste-back obeys the same rule.
@Suite struct MixUpDefenceTests {
    static func endpoints(issuer: String?, advertised: Bool) throws -> ProviderEndpoints {
        var endpoints = try ProviderEndpoints.resolve(
            endpoint: "https://idp.example.com", domainID: nil, authorize: "/o/authorize/", token: "/o/token/")
        endpoints.issuer = issuer
        endpoints.issParameterSupported = advertised
        return endpoints
    }

    @Test func theRule() throws {
        let issuer = "https://idp.example.com/o"
        let cases: [(String?, Bool, String?, AuthorizationResponseIssuer)] = [
            (issuer, true, issuer, .accepted),
            (issuer, true, nil, .missing),
            (issuer, true, "https://evil.example/o", .mismatch),
            (issuer, true, issuer + "/", .mismatch),
            (issuer, true, "", .mismatch),
            (issuer, false, nil, .accepted),
            (issuer, false, issuer, .accepted),
            (issuer, false, "https://evil.example/o", .mismatch),
            (nil, false, "https://evil.example/o", .accepted),
            (nil, false, nil, .accepted),
        ]
        for (known, advertised, received, expected) in cases {
            #expect(
                AuthorizationResponseIssuer.check(received, against: try Self.endpoints(issuer: known, advertised: advertised)) == expected,
                "issuer \(known ?? "unknown"), advertised \(advertised), iss \(received ?? "absent")")
        }
    }

    @Test func theRedirectsIssIsParsedFirstOccurrenceWins() throws {
        let parameters = try #require(
            CallbackParameters(query: "code=c&state=s&iss=https%3A%2F%2Fidp.example.com%2Fo&iss=https%3A%2F%2Fevil.example"))
        #expect(parameters.iss == "https://idp.example.com/o")
    }

    /// Runs a flow pinned to `issuer` against a token endpoint that records the codes it gets.
    static func run(
        advertised: Bool, answers inputs: @escaping @Sendable (String) -> [LoginAnswer.Input]
    )
        async throws -> (Result<LoginResult, PDSAuthError>, codes: [String], refusals: [String], replies: [String])
    {
        let codes = LockedValue<[String]>([])
        let refusals = LockedValue<[String]>([])
        let replies = LockedValue<[String]>([])
        let result = try await TestServer.run({ request in
            var request = request
            let fields = Dictionary(FormEncoding.decode(String(buffer: try await request.collectBody(upTo: 65536))), uniquingKeysWith: { a, _ in a })
            codes.update { $0.append(fields["code"] ?? "") }
            return TestServer.json(.ok, #"{"access_token":"mixup-0123456789abcdef","refresh_token":"r"}"#)
        }) { server in
            var harness = try LoginHarness(endpoint: server.baseURL, store: CredentialStore(directory: TemporaryDirectory().path))
            var endpoints = try ProviderEndpoints.resolve(endpoint: server.baseURL, domainID: nil, authorize: "/o/authorize/", token: "/o/token/")
            endpoints.issuer = "https://idp.example.com/o"
            endpoints.issParameterSupported = advertised
            harness.configuration.endpoints = endpoints
            let answers = LoginAnswers()
            let flow = LoginFlow(
                configuration: harness.configuration, redirect: try RedirectTarget(parsing: "http://127.0.0.1:1/callback"), answers: answers)
            let submitting = Task {
                for input in inputs(flow.state) {
                    let reply = await answers.submit(input)
                    replies.update { $0.append("\(reply)") }
                }
            }
            let result = await outcome { () async throws(PDSAuthError) -> LoginResult in
                try await flow.run { event in
                    if case let .refused(refusal, source) = event { refusals.update { $0.append("\(refusal) \(source)") } }
                }
            }
            submitting.cancel()
            return result
        }
        return (result, codes.value, refusals.value, replies.value)
    }

    @Test func aHostileIssAndAMissingOneAreRefusedAndTheWaitGoesOn() async throws {
        let run = try await Self.run(advertised: true) { state in
            [
                .redirect(CallbackParameters(code: "hostile-code", state: state, iss: "https://evil.example/o")),
                .redirect(CallbackParameters(state: state, error: "access_denied", iss: "https://evil.example/o")),
                .redirect(CallbackParameters(code: "no-iss-code", state: state)),
                .redirect(CallbackParameters(code: "real-code", state: state, iss: "https://idp.example.com/o")),
            ]
        }
        #expect(try run.0.get().profile.accessToken == "mixup-0123456789abcdef")
        #expect(run.codes == ["real-code"], "only the code from the right issuer reached the token endpoint")
        #expect(
            run.refusals == ["issuerMismatch browser", "issuerMismatch browser", "issuerMissing browser"],
            "a forged error with another iss ends nothing")
        #expect(run.replies.prefix(3).allSatisfy { $0.hasPrefix("refused") }, "\(run.replies)")
    }

    @Test func whereIssIsNotAdvertisedItsAbsenceIsAcceptedButAWrongOneIsNot() async throws {
        let run = try await Self.run(advertised: false) { state in
            [
                .redirect(CallbackParameters(code: "hostile-code", state: state, iss: "https://evil.example/o")),
                .redirect(CallbackParameters(code: "plain-code", state: state)),
            ]
        }
        #expect(try run.0.get().accessToken == "mixup-0123456789abcdef")
        #expect(run.codes == ["plain-code"] && run.refusals == ["issuerMismatch browser"])
    }

    @Test func pasteBackAppliesTheSameRule() async throws {
        let run = try await Self.run(advertised: true) { state in
            [
                .pasted("bare-code"),
                .pasted("http://127.0.0.1:1/callback?code=hostile&state=\(state)&iss=https%3A%2F%2Fevil.example%2Fo"),
                .pasted("http://127.0.0.1:1/callback?code=pasted&state=\(state)&iss=https%3A%2F%2Fidp.example.com%2Fo"),
            ]
        }
        #expect(try run.0.get().accessToken == "mixup-0123456789abcdef")
        #expect(run.codes == ["pasted"] && run.refusals == ["issuerMissing paste", "issuerMismatch paste"], "\(run.refusals)")
    }
}

extension LoginResult {
    var accessToken: String { profile.accessToken }
}
