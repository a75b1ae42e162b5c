import Hummingbird

/// The answers of the faults that replace the normal response.
enum FaultResponse {
    static func status(_ code: Int, retryAfter: Int?) -> PDSError {
        let headers = retryAfter.map { [("Retry-After", String($0))] } ?? []
        return PDSError(PDSErrorCode.forStatus(code), "Injected fault: the server answered \(code)",
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
