#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Fuzzes what the token endpoint sends back: `TokenResponse.decode` for a 2xx answer and
/// `TokenEndpointError.from` for any other, both with server-chosen headers and body.
///
/// Input layout (readable seeds, like an HTTP response): a first line with the status
/// (digits; anything else means 400), then `name: value` header lines, an empty line, and
/// the body bytes. Invariants: a decoded token has a non-empty access token and no empty
/// refresh token; every text of the resulting error (code, message, hint, context) is free
/// of control characters, bounded where `terminalSafe` bounds it, and keeps the HTTP status.

let host = "bj1.api.aliyunpds.com"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let response = parse(UnsafeBufferPointer(start: data, count: size))

    do {
        let token = try TokenResponse.decode(response.body, from: host)
        require(!token.accessToken.isEmpty, "an empty access token was accepted")
        require(token.refreshToken.map { !$0.isEmpty } ?? true, "an empty refresh token was kept")
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        if let expireTime = token.expireTime {
            require(token.expiry(receivedAt: now) == expireTime, "expire_time does not take precedence")
        }
    } catch {
        require(error.code == "invalid_token_response", "unexpected decode error \(error.code)")
        requireClean(error)
    }

    let error = TokenEndpointError.from(response, host: host, action: "exchange the code")
    requireClean(error)
    require(error.code.count <= 81, "error code of \(error.code.count) characters")
    require(error.context["HTTP"] == String(response.status), "the HTTP status is missing from the context")
    if let requestID = error.context["request id"] { requireTerminalSafe(requestID, limit: 100, "request id") }
    let transient = response.status == 429 || response.status == 408 || response.status >= 500
    require((error.status == .serverUnavailable) == transient, "status \(response.status) classified as \(error.status)")
    return 0
}

/// Every text a user will see in a terminal.
func requireClean(_ error: PDSAuthError) {
    for text in [error.code, error.message, error.hint ?? ""] + Array(error.context.keys) + Array(error.context.values) {
        require(isTerminalSafe(text), "error text with a control character: \(text.debugDescription)")
    }
}

/// Splits the input into status, headers and body (see the layout above). Header lines are
/// read as `CurlTransfer` reads them: lower-cased trimmed name, trimmed value, last wins.
func parse(_ input: UnsafeBufferPointer<UInt8>) -> HTTPClientResponse {
    let bytes = Array(input)
    var headEnd = bytes.count
    var bodyStart = bytes.count
    for index in bytes.indices where bytes[index] == 0x0A && index + 1 < bytes.count && bytes[index + 1] == 0x0A {
        headEnd = index
        bodyStart = index + 2
        break
    }
    let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
    let lines = head.split(separator: "\n", omittingEmptySubsequences: false)
    let status = lines.first.flatMap { Int($0.trimmed()) }.flatMap { (100...599).contains($0) ? $0 : nil } ?? 400
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].trimmed().lowercased()] = line[line.index(after: colon)...].trimmed()
    }
    return HTTPClientResponse(status: status, headers: headers, body: Data(bytes[bodyStart...]))
}
