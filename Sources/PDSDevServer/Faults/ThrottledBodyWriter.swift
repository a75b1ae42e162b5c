import Hummingbird

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
