import Foundation
import Testing

@testable import PDSDevServer

@Suite struct RevokeTests {
    static func body(app: String = Fixture.webClientID, token: String) -> String {
        #"{"app_id":"\#(app)","refresh_token":"\#(token)"}"#
    }

    @Test func revokedTokenIsDead() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let token = try #require(try await client.signIn().refreshToken, "refresh token")
            let response = try await client.post("/v2/account/revoke", json: Self.body(token: token))
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(response.header("x-ca-request-id") != nil)
            let refresh = try await client.refresh(token)
            #expect(refresh.pdsError?.message == "The refresh token has been revoked")
            #expect(await fixture.server.statistics().revocations == 1)
        }
    }

    @Test func unknownTokenStillAnswers204AndIsCounted() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let response = try await client.post("/v2/account/revoke", json: Self.body(token: "never-issued"))
            #expect(response.status == .noContent)
            let again = try await client.post("/v2/account/revoke", json: Self.body(token: "never-issued"))
            #expect(again.status == .noContent)
            #expect(await fixture.server.statistics().revocations == 2)
        }
    }

    @Test func malformedBodiesAreRefused() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let notJSON = try await client.post("/v2/account/revoke", json: "app_id=x")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.pdsError?.code == "InvalidParameter")
            let missing = try await client.post("/v2/account/revoke", json: #"{"app_id":"web-app"}"#)
            #expect(missing.pdsError?.code == "InvalidParameterMissing")
            #expect(missing.pdsError?.message.contains("refresh_token") == true)
            #expect(await fixture.server.statistics().revocations == 0)
        }
    }

    @Test func anotherAppCannotRevokeTheToken() async throws {
        try await Fixture().test { client in
            let token = try #require(try await client.signIn().refreshToken, "refresh token")
            let foreign = try await client.post("/v2/account/revoke", json: Self.body(app: Fixture.nativeClientID, token: token))
            #expect(foreign.status == .badRequest)
            #expect(foreign.pdsError?.code == "InvalidParameter.AppId")
            let unknownApp = try await client.post("/v2/account/revoke", json: Self.body(app: "nobody", token: token))
            #expect(unknownApp.pdsError?.code == "InvalidParameter.AppId")
            #expect(try await client.refresh(token).status == .ok)
        }
    }
}
