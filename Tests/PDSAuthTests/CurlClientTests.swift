import Foundation
import Hummingbird
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

@Suite struct CurlClientTests {
    @Test func postsFormBodyAndReadsResponse() async throws {
        try await TestServer.run({ request in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            let fields = Dictionary(FormEncoding.decode(String(buffer: body)), uniquingKeysWith: { a, _ in a })
            let echo = "\(request.headers[.contentType] ?? "")|\(fields["secret"] ?? "")|\(fields["space"] ?? "")"
            return TestServer.json(.created, #"{"echo":"\#(echo)"}"#, headers: [.server: "yes"])
        }) { server in
            let body = FormEncoding.encode([("secret", "a+b&c=d/é"), ("space", "x y")])
            let response = try await CurlClient().send(HTTPClientRequest(method: .post, url: URL(string: server.baseURL + "/token")!,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(body.utf8)))
            #expect(response.status == 201)
            #expect(response[header: "Server"] == "yes")
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"echo":"application/x-www-form-urlencoded|a+b&c=d/é|x y"}"#)
        }
    }

    @Test func boundsTheBodySize() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, String(repeating: "x", count: 200_000)) }) { server in
            let client = CurlClient(options: TransportOptions(maxBodyBytes: 10_000))
            do throws(PDSAuthError) {
                _ = try await client.send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!))
                Issue.record("expected the body to be refused")
            } catch {
                #expect(error.code == "response_too_large" && error.status == .invalidResponse)
            }
        }
    }

    @Test func totalTimeoutFires() async throws {
        try await TestServer.run({ _ in
            try await Task.sleep(for: .seconds(10))
            return TestServer.json(.ok, "{}")
        }) { server in
            let client = CurlClient(options: TransportOptions(connectTimeout: 1, totalTimeout: 0.5))
            let started = ContinuousClock.now
            do throws(PDSAuthError) {
                _ = try await client.send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!))
                Issue.record("expected a timeout")
            } catch {
                #expect(error.code == "timeout" && error.status == .network)
            }
            // Far below the server's 10 s, with room for a busy machine.
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        // Bind and release a port so nothing listens on it.
        let port = try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { $0.server.port }
        do throws(PDSAuthError) {
            _ = try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://127.0.0.1:\(port)/")!))
            Issue.record("expected a connection error")
        } catch {
            #expect(error.code == "unreachable" && error.status == .network)
            #expect(error.hint != nil)
        }
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        try await TestServer.run({ _ in
            try await Task.sleep(for: .seconds(10))
            return TestServer.json(.ok, "{}")
        }) { server in
            let task = Task { try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!)) }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(throws: PDSAuthError.self) { try result.get() }
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func formEncodingRoundTrips() {
        let fields = [("a b", "c+d"), ("é", "%&="), ("empty", ""), ("", "x")]
        let encoded = FormEncoding.encode(fields)
        #expect(encoded == "a%20b=c%2Bd&%C3%A9=%25%26%3D&empty=&=x")
        #expect(FormEncoding.decode(encoded).map { "\($0.0)=\($0.1)" } == fields.map { "\($0.0)=\($0.1)" })
        #expect(FormEncoding.decode("a+b=c+d").first! == ("a b", "c d"))
    }
}
