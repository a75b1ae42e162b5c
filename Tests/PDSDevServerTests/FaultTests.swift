import Foundation
import Testing

@testable import PDSDevServer

@Suite struct FaultTests {
    @Test func statusFaultFailsTheNextCallsWithoutProcessingThem() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let code = try await client.code()
            await fixture.server.faults.set(.status(503, retryAfter: 7), times: 2)
            for _ in 0..<2 {
                let response = try await client.exchange(code)
                #expect(response.status == .serviceUnavailable)
                #expect(response.header("Retry-After") == "7")
                #expect(response.pdsError?.code == "ServiceUnavailable")
                #expect(response.pdsError?.requestId == response.header("x-ca-request-id"))
            }
            #expect(await fixture.server.faults.remainingCount() == 0)
            #expect(try await client.exchange(code).status == .ok, "the faulted calls did not spend the code")
        }
    }

    @Test(arguments: [(429, "TooManyRequests"), (500, "InternalError"), (502, "BadGateway"), (504, "GatewayTimeout"), (418, "InjectedFault")])
    func statusFaultUsesPDSCodes(status: Int, code: String) async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            await fixture.server.faults.set(.status(status, retryAfter: nil), times: 1)
            let response = try await client.refresh("whatever")
            #expect(response.status.code == status)
            #expect(response.pdsError?.code == code)
            #expect(response.header("Retry-After") == nil)
        }
    }

    @Test func invalidJSONFault() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            await fixture.server.faults.set(.invalidJSON, times: 1)
            let response = try await client.refresh("whatever")
            #expect(response.status == .ok)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect((try? JSONSerialization.jsonObject(with: Data(response.bodyText.utf8))) == nil)
        }
    }

    @Test func oversizedBodyFault() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            await fixture.server.faults.set(.oversizedBody(bytes: 100_000), times: 1)
            let response = try await client.refresh("whatever")
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 100_000)
            #expect(response.header("Content-Length") == "100000")
            #expect((try? JSONSerialization.jsonObject(with: Data(response.bodyText.utf8))) != nil)
        }
    }

    @Test func delayFaultDelaysThenAnswers() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let code = try await client.code()
            await fixture.server.faults.set(.delay(milliseconds: 300), times: 1)
            let started = ContinuousClock.now
            let response = try await client.exchange(code)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(response.status == .ok)
        }
    }

    @Test func slowBodyFaultSendsTheRealAnswerSlowly() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let code = try await client.code()
            await fixture.server.faults.set(.slowBody(bytesPerSecond: 5_000), times: 1)
            let started = ContinuousClock.now
            let response = try await client.exchange(code)
            let elapsed = ContinuousClock.now - started
            #expect(response.status == .ok)
            #expect(try response.decode(TokenResponseBody.self).userID == "user-1")
            let expected = Double(response.body.readableBytes) / 5_000
            #expect(elapsed >= .seconds(expected * 0.8), "\(response.body.readableBytes) bytes took \(elapsed)")
        }
    }

    @Test func faultsHitOnlyTheTokenEndpointAndCanBeCleared() async throws {
        let fixture = try Fixture()
        try await fixture.test { (client: Client) async throws in
            await fixture.server.faults.set(.status(500, retryAfter: nil), times: 3)
            #expect(try await client.get("/.well-known/jwks.json").status == .ok)
            #expect(try await client.post("/v2/account/revoke", json: RevokeTests.body(token: "x")).status == .noContent)
            #expect(await fixture.server.faults.remainingCount() == 3)
            #expect(try await client.refresh("x").status == .internalServerError)
            #expect(await fixture.server.faults.remainingCount() == 2)
            await fixture.server.faults.clear()
            #expect(try await client.refresh("x").status == .badRequest)
            await fixture.server.faults.set(.invalidJSON, times: 0)
            #expect(await fixture.server.faults.remainingCount() == 0)
            #expect(try await client.refresh("x").status == .badRequest)
        }
    }

    @Test func dropConnectionClosesWithoutAnAnswer() async throws {
        try await Fixture().live { server, url in
            await server.faults.set(.dropConnection, times: 1)
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            await #expect(throws: (any Error).self) {
                try await LiveClient.request(port: port, .post, "/v2/oauth/token", form: [("grant_type", "refresh_token")])
            }
            let after = try await LiveClient.request(port: port, .post, "/v2/oauth/token", form: [("grant_type", "refresh_token")])
            #expect(after.status == .badRequest)
            #expect(await server.statistics().tokenRequests["refresh_token"] == 2)
        }
    }
}
