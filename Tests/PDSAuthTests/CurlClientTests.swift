import Foundation
import HTTPTypes
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
            let response = try await CurlClient().send(
                HTTPClientRequest(
                    method: .post, url: URL(string: server.baseURL + "/token")!,
                    headerFields: [.contentType: "application/x-www-form-urlencoded"], body: Data(body.utf8)))
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
                #expect(error.code == .responseTooLarge)
            }
        }
    }

    @Test func totalTimeoutFires() async throws {
        try await TestServer.run({ _ in
            // Slow on purpose: the answer must come after the client's 0.5 s.
            try await Task.sleep(for: .seconds(10))
            return TestServer.json(.ok, "{}")
        }) { server in
            let client = CurlClient(options: TransportOptions(connectTimeout: .seconds(1), totalTimeout: .milliseconds(500)))
            let started = ContinuousClock.now
            do throws(PDSAuthError) {
                _ = try await client.send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!))
                Issue.record("expected a timeout")
            } catch {
                #expect(error.code == .httpTimeout)
            }
            // Far below the server's 10 s, with room for a busy machine.
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        // Port 9 (discard) on loopback: nothing listens there, and no test binds it.
        do throws(PDSAuthError) {
            _ = try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://127.0.0.1:9/")!))
            Issue.record("expected a connection error")
        } catch {
            #expect(error.code == .unreachable && error.message.contains("127.0.0.1"))
        }
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        let arrived = LockedValue(false)
        try await TestServer.run({ _ in
            arrived.set(true)
            // Slow on purpose: only the cancellation can end the transfer in time.
            try await Task.sleep(for: .seconds(10))
            return TestServer.json(.ok, "{}")
        }) { server in
            let task = Task { try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!)) }
            // Cancelled mid-transfer: once the request has reached the server.
            try #require(try await waitUntil { arrived.value })
            let started = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(throws: PDSAuthError.self) { try result.get() }
            #expect(ContinuousClock.now - started < .seconds(6))
        }
    }

    @Test func headersAreKeptInOrderAndLookedUpCaseInsensitively() async throws {
        try await TestServer.run({ _ in
            var headers = HTTPFields()
            headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "one"))
            headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "two"))
            return TestServer.json(.ok, "{}", headers: headers)
        }) { server in
            let response = try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: server.baseURL)!))
            #expect(response.headerFields[values: HTTPField.Name("x-multi")!] == ["one", "two"])
            #expect(response[header: "X-MULTI"] == "two")
        }
    }

    /// A hostile server's header lines become `HTTPFields`: a line whose name is no token
    /// is not a field and is dropped; a name keeps its spelling; a value keeps its text.
    @Test func headerLinesThatAreNoFieldsAreDropped() async throws {
        let server = try #require(
            CannedHTTPServer { _ in CannedHTTPServer.reply(headers: ["Bad Name: x", "(): y", "X-Spelled-So: a  b;c=\"d\"", "x-after: 1"]) })
        defer { server.stop() }
        let response = try await CurlClient().send(HTTPClientRequest(url: URL(string: "http://127.0.0.1:\(server.port)/")!))
        let names = response.headerFields.map(\.name.rawName)
        #expect(names == ["X-Spelled-So", "x-after", "Content-Length", "Connection"], "\(names)")
        #expect(response[header: "x-spelled-so"] == "a  b;c=\"d\"")
    }

    @Test func otherMethodsAreSentAsNamed() async throws {
        let seen = LockedValue<[String]>([])
        try await TestServer.run({ request in
            seen.update { $0.append(request.method.rawValue) }
            return TestServer.json(.ok, "{}")
        }) { server in
            for method in ["PUT", "DELETE", "PATCH", "HEAD"] {
                _ = try await CurlClient().send(
                    HTTPClientRequest(
                        method: HTTPRequest.Method(method)!, url: URL(string: server.baseURL)!,
                        body: method == "PUT" ? Data("{}".utf8) : nil))
            }
        }
        #expect(seen.value == ["PUT", "DELETE", "PATCH", "HEAD"])
    }

    @Test func formEncodingRoundTrips() {
        let fields = [("a b", "c+d"), ("é", "%&="), ("empty", ""), ("", "x")]
        let encoded = FormEncoding.encode(fields)
        #expect(encoded == "a%20b=c%2Bd&%C3%A9=%25%26%3D&empty=&=x")
        #expect(FormEncoding.decode(encoded).map { "\($0.0)=\($0.1)" } == fields.map { "\($0.0)=\($0.1)" })
        #expect(FormEncoding.decode("a+b=c+d").first! == ("a b", "c d"))
    }
}
