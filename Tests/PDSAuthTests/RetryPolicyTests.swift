import Foundation
import HTTPTypes
import Hummingbird
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

@Suite struct RetryPolicyTests {
    @Test func decisions() {
        let policy = RetryPolicy.standard
        #expect(policy.delay(afterStatus: 503, retryAfter: "2", attempt: 1) == .seconds(2))
        #expect(policy.delay(afterStatus: 429, retryAfter: nil, attempt: 1) == .seconds(1))
        #expect(policy.delay(afterStatus: 429, retryAfter: "60", attempt: 1) == nil, "too long: report, don't wait")
        #expect(policy.delay(afterStatus: 503, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT", attempt: 1) == nil)
        #expect(policy.delay(afterStatus: 503, retryAfter: "1", attempt: 3) == nil, "bounded")
        #expect(policy.delay(afterStatus: 503, retryAfter: "99999999999999999999", attempt: 1) == nil, "absurd numbers are not waited for")
        #expect(policy.delay(afterStatus: 503, retryAfter: "-1", attempt: 1) == nil)
        for status in [200, 400, 401, 500, 502, 504] { #expect(policy.delay(afterStatus: status, retryAfter: "1", attempt: 1) == nil) }
        #expect(policy.delay(afterTransferFailureBeforeSending: true, attempt: 2) == .milliseconds(1000))
        #expect(policy.delay(afterTransferFailureBeforeSending: false, attempt: 1) == nil, "never after the request may have been processed")
    }

    static func client(_ base: String) -> TokenClient {
        TokenClient(
            http: CurlClient(), tokenURL: URL(string: base + "/token")!, clientID: "c", clientSecret: nil,
            retry: RetryPolicy(maxRetries: 2, maxRetryAfter: .seconds(10), connectBackoff: .milliseconds(50)))
    }

    @Test func honoursRetryAfterOn503ThenSucceeds() async throws {
        let calls = LockedValue(0)
        let response = try await TestServer.run({ _ in
            let call = calls.update {
                $0 += 1
                return $0
            }
            return call == 1 ? Response(status: .serviceUnavailable, headers: [.retryAfter: "1"]) : TestServer.json(.ok, #"{"access_token":"t"}"#)
        }) { server in
            let started = ContinuousClock.now
            let token = try await Self.client(server.baseURL).request(.refreshToken("r"))
            #expect(ContinuousClock.now - started >= .seconds(1), "waited as asked")
            return token
        }
        #expect(response.accessToken == "t" && calls.value == 2)
    }

    /// 503 without Retry-After is "not processed, come back later" too: retried after 1 s.
    @Test func retries503WithoutRetryAfterTwiceAtMost() async throws {
        let calls = LockedValue(0)
        try await TestServer.run({ _ in
            calls.update { $0 += 1 }
            return Response(status: .serviceUnavailable)
        }) { server in
            await #expect { try await Self.client(server.baseURL).request(.refreshToken("r")) } throws: {
                ($0 as? PDSAuthError)?.code == .serverUnavailable
            }
        }
        #expect(calls.value == 3)
    }

    @Test(arguments: [(500, nil), (429, "60"), (400, nil)] as [(Int, String?)])
    func doesNotRetryWhatMayHaveBeenProcessedOrAsksTooMuch(status: Int, retryAfter: String?) async throws {
        let calls = LockedValue(0)
        try await TestServer.run({ _ in
            calls.update { $0 += 1 }
            var headers = HTTPFields()
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: headers)
        }) { server in
            await #expect(throws: PDSAuthError.self) { try await Self.client(server.baseURL).request(.refreshToken("r")) }
        }
        #expect(calls.value == 1)
    }

    @Test func retriesARefusedConnectionThenReportsIt() async throws {
        do throws(PDSAuthError) {
            _ = try await Self.client("http://127.0.0.1:9").request(.refreshToken("r"))
            Issue.record("nothing listens there")
        } catch {
            #expect(error.code == .unreachable && error.description.contains("attempts: 3"))
        }
    }

    @Test func neverRetriesATimeout() async throws {
        let calls = LockedValue(0)
        try await TestServer.run({ _ in
            calls.update { $0 += 1 }
            // Slow on purpose: past the client's 0.5 s total timeout.
            try await Task.sleep(for: .seconds(2))
            return TestServer.json(.ok, #"{"access_token":"late"}"#)
        }) { server in
            var client = Self.client(server.baseURL)
            client.http = CurlClient(options: TransportOptions(connectTimeout: .seconds(1), totalTimeout: .milliseconds(500)))
            await #expect(throws: PDSAuthError.self) { try await client.request(.refreshToken("r")) }
        }
        #expect(calls.value == 1)
    }
}
