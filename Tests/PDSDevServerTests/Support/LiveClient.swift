import Foundation
import Hummingbird
import HummingbirdTesting

@testable import PDSDevServer

/// One request over a real loopback connection to a running server.
enum LiveClient {
    static func request(
        port: Int, _ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil,
        authority: String? = nil
    ) async throws -> TestClient.Response {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
        client.connect()
        var headers: HTTPFields = [:]
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: FormEncoding.encode(form))
        }
        do {
            let response = try await client.execute(
                TestClient.Request(
                    uri, method: method, authority: authority ?? "127.0.0.1:\(port)",
                    headers: headers, body: body))
            try await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
