import Hummingbird
import Logging
import PDSAuth

/// A throwaway HTTP server on 127.0.0.1 and an ephemeral port, answering with `handler`.
package struct TestServer: Sendable {
    package let server: ListenerServer
    package var baseURL: String { "http://127.0.0.1:\(server.port)" }

    package static func run<T>(
        _ handler: @escaping @Sendable (Request) async throws -> Response,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in try await handler(request) }
        let server = try await ListenerServer.start(host: "127.0.0.1", port: 0, responder: responder, logger: Logger(label: "test"))
        do {
            let result = try await body(TestServer(server: server))
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    package static func json(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
