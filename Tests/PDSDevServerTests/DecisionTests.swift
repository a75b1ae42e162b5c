import Foundation
import Testing

@testable import PDSDevServer

@Suite struct DecisionTests {
    @Test func approvalRedirectsWithCodeAndState() async throws {
        try await Fixture().test { client in
            let response = try await client.consent(Client.authorizeFields(state: "st&te=1"))
            #expect(response.status == .found)
            #expect(response.header("Referrer-Policy") == "no-referrer")
            #expect(response.header("Cache-Control") == "no-store")
            let location = try #require(response.headers[.location], "Location")
            #expect(location.hasPrefix(Fixture.redirectURI + "?code="))
            let parameters = try Page.redirectParameters(response)
            #expect(parameters["state"] == "st&te=1")
            let code = try #require(parameters["code"], "code")
            #expect(code.count >= 43)
            #expect(parameters["error"] == nil)
        }
    }

    @Test func approvalWithoutStateSendsNoState() async throws {
        try await Fixture().test { client in
            let response = try await client.consent(Client.authorizeFields(state: nil))
            let location = try #require(response.headers[.location], "Location")
            #expect(!location.contains("state="))
            #expect(try Page.redirectParameters(response)["code"] != nil)
        }
    }

    @Test func denialRedirectsWithAccessDenied() async throws {
        try await Fixture().test { client in
            let response = try await client.consent(Client.authorizeFields(), decision: "deny")
            #expect(response.status == .found)
            let parameters = try Page.redirectParameters(response)
            #expect(parameters["error"] == "access_denied")
            #expect(parameters["error_description"] != nil)
            #expect(parameters["state"] == "xyz")
            #expect(parameters["code"] == nil)
        }
    }

    @Test func pendingRequestIsSingleUse() async throws {
        try await Fixture().test { client in
            let pendingID = try Page.pendingID(in: try await client.authorize(Client.authorizeFields()).bodyText)
            let form = [("request_id", pendingID), ("user_id", "user-1"), ("decision", "approve")]
            #expect(try await client.post("/v2/oauth/authorize/decision", form: form).status == .found)
            let again = try await client.post("/v2/oauth/authorize/decision", form: form)
            #expect(again.status == .badRequest)
            #expect(again.headers[.location] == nil)
            #expect(again.bodyText.contains("unknown_request"))
        }
    }

    @Test func unknownOrExpiredPendingRequestIsRefused() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let unknown = try await client.post(
                "/v2/oauth/authorize/decision",
                form: [("request_id", "forged"), ("user_id", "user-1"), ("decision", "approve")])
            #expect(unknown.status == .badRequest)
            let pendingID = try Page.pendingID(in: try await client.authorize(Client.authorizeFields()).bodyText)
            fixture.clock.advance(seconds: Double(fixture.server.configuration.codeLifetime * 5 + 1))
            let expired = try await client.post(
                "/v2/oauth/authorize/decision",
                form: [("request_id", pendingID), ("user_id", "user-1"), ("decision", "approve")])
            #expect(expired.status == .badRequest)
            #expect(expired.headers[.location] == nil)
        }
    }

    @Test func unknownUserOrDecisionIsRefused() async throws {
        try await Fixture().test { client in
            let unknownUser = try await client.consent(Client.authorizeFields(), userID: "nobody")
            #expect(unknownUser.status == .badRequest)
            #expect(unknownUser.headers[.location] == nil)
            let noDecision = try await client.consent(Client.authorizeFields(), decision: "maybe")
            #expect(noDecision.status == .badRequest)
        }
    }

    @Test func chosenUserIsTheOneSignedIn() async throws {
        try await Fixture().test { client in
            let tokens = try await client.signIn(userID: "user-2")
            #expect(tokens.userID == "user-2")
            #expect(tokens.userName == "alice")
            #expect(tokens.defaultDriveID == "2")
        }
    }

    @Test func decisionMustBeAForm() async throws {
        try await Fixture().test { client in
            let response = try await client.post("/v2/oauth/authorize/decision", json: "{}")
            #expect(response.status == .badRequest)
            #expect(response.bodyText.contains("InvalidParameter.ContentType"))
        }
    }
}
