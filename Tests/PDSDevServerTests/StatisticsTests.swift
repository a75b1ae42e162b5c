import Foundation
import Testing

@testable import PDSDevServer

@Suite struct StatisticsTests {
    @Test func everyTokenRequestAndRevocationIsCounted() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let code = try await client.code()
            let tokens = try await client.exchange(code).decode(TokenResponseBody.self)
            _ = try await client.refresh(try #require(tokens.refreshToken, "refresh token"))
            _ = try await client.exchange(code)
            _ = try await client.jwtBearer("not-a-jwt")
            _ = try await client.jwtBearer(try Assertion(now: fixture.clock.now).signed(by: try await Assertion.rsa()))
            _ = try await client.token([("client_id", Fixture.webClientID)])
            _ = try await client.token([("grant_type", "password")])
            _ = try await client.token([("grant_type", "implicit")])
            _ = try await client.post("/v2/oauth/token", json: "{}")
            await fixture.server.faults.set(.status(503, retryAfter: 1), times: 1)
            _ = try await client.refresh("x")
            _ = try await client.post("/v2/account/revoke", json: RevokeTests.body(token: "x"))
        }
        let expected = DevServerStatistics(
            tokenRequests: [
                "authorization_code": 2, "refresh_token": 2, "urn:ietf:params:oauth:grant-type:jwt-bearer": 2,
                "missing": 2, "unsupported": 2,
            ],
            tokenSuccesses: ["authorization_code": 1, "refresh_token": 1, "urn:ietf:params:oauth:grant-type:jwt-bearer": 1],
            revocations: 1)
        #expect(await fixture.server.statistics() == expected)
    }

    /// What a client test asserts after an access token expired mid-session: one 401, one
    /// forced refresh, one retry, never more.
    @Test func resourceCallsAndTheirRefusalsAreCounted() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let tokens = try await client.signIn()
            fixture.clock.advance(seconds: 3600)
            #expect(try await client.resource("/v2/user/get", accessToken: tokens.accessToken).status == .unauthorized)
            let refreshed = try await client.refresh(try #require(tokens.refreshToken, "refresh token")).decode(TokenResponseBody.self)
            #expect(try await client.resource("/v2/user/get", accessToken: refreshed.accessToken).status == .ok)
            _ = try await client.resource("/v2/file/list", #"{"drive_id":"1","parent_file_id":"root"}"#, accessToken: refreshed.accessToken)
            _ = try await client.resource("/v2/drive/list", "not json", accessToken: refreshed.accessToken)
            _ = try await client.resource("/v2/drive/list", accessToken: nil)
            _ = try await client.get("/v2/file/list")
            _ = try await client.revokeToken(TokenRevocationTests.webClient("x"))
        }
        let expected = DevServerStatistics(
            tokenRequests: ["authorization_code": 1, "refresh_token": 1], tokenSuccesses: ["authorization_code": 1, "refresh_token": 1],
            revocations: 1, resourceRequests: ["/v2/user/get": 2, "/v2/file/list": 1, "/v2/drive/list": 2], resourceUnauthorized: 2)
        #expect(await fixture.server.statistics() == expected)
    }

    @Test func freshServerHasNoCounts() async throws {
        #expect(await (try Fixture()).server.statistics() == DevServerStatistics())
    }
}
