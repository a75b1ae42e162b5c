import Hummingbird

/// Applies an armed ``DevServerFault`` to the token request being handled.
struct FaultInjection: Sendable {
    let fault: DevServerFault
    let context: DevServerRequestContext

    /// The response that replaces the normal one, or nil when the request goes on (after a
    /// delay, or to be slowed down afterwards).
    func replacement() async -> Response? {
        switch fault {
        case .delay(let milliseconds):
            // A cancelled request (the client gave up) ends the wait early; nothing is owed.
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return nil
        case .status(let code, let retryAfter):
            return JSONResponse.error(FaultResponse.status(code, retryAfter: retryAfter), requestID: context.requestID)
        case .dropConnection:
            context.dropConnection()
            return Response(status: .internalServerError)
        case .invalidJSON:
            return FaultResponse.invalidJSON()
        case .oversizedBody(let bytes):
            return FaultResponse.oversized(bytes: bytes)
        case .slowBody:
            return nil
        }
    }
}

/// The answers of the faults that replace the normal response.
enum FaultResponse {
    static func status(_ code: Int, retryAfter: Int?) -> PDSError {
        let headers = retryAfter.map { [("Retry-After", String($0))] } ?? []
        return PDSError(
            PDSErrorCode.forStatus(code), "Injected fault: the server answered \(code)",
            status: HTTPResponse.Status(code: code), headers: headers)
    }

    /// A token response cut off mid-string, as a truncated or garbled answer looks.
    static func invalidJSON() -> Response {
        JSONResponse.make(.ok, bytes: Array(#"{"access_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQ"#.utf8))
    }

    /// `{"padding":"xxx…"}` of exactly `bytes` bytes (at least 32): valid JSON, so only a
    /// size bound stops a client from reading it whole.
    static func oversized(bytes: Int) -> Response {
        let skeleton = #"{"padding":""}"#
        let size = max(bytes, 32)
        let body = #"{"padding":""# + String(repeating: "x", count: size - skeleton.utf8.count) + #""}"#
        return JSONResponse.make(.ok, bytes: Array(body.utf8))
    }
}

/// Passes a response body on at a fixed rate, in tenth-of-a-second slices, for
/// ``DevServerFault/slowBody(bytesPerSecond:)``.
struct ThrottledBodyWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let bytesPerSecond: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        var remaining = buffer
        let sliceSize = max(1, bytesPerSecond / 10)
        while remaining.readableBytes > 0, let slice = remaining.readSlice(length: min(sliceSize, remaining.readableBytes)) {
            try await base.write(slice)
            try await Task.sleep(for: .milliseconds(slice.readableBytes * 1000 / max(bytesPerSecond, 1)))
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }

    /// `response` with its body sent at `bytesPerSecond`.
    static func throttle(_ response: Response, bytesPerSecond: Int) -> Response {
        let body = response.body
        var slowed = response
        slowed.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(ThrottledBodyWriter(base: writer, bytesPerSecond: bytesPerSecond))
        }
        return slowed
    }
}
