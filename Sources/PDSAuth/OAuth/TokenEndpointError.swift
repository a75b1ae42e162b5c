import FoundationEssentials
import HTTPTypes

/// Turns a non-2xx answer from the token (or revocation) endpoint into one clear error.
/// PDS sends `{"code","message","requestId"}` (the docs capitalise the keys, the SDKs do
/// not), generic servers send RFC 6749 §5.2 `{"error","error_description"}`, and the API
/// gateway sends only `x-ca-error-code` / `x-ca-error-message` / `x-ca-request-id` headers.
///
/// What the status means decides the code:
/// - 3xx, 404, 405, 410, 415: no token endpoint answers like that; the URL is wrong
///   (`endpointMisconfigured`), the request was never judged.
/// - 408, 429, 5xx: the server failed or throttled (`serverUnavailable`).
/// - 401, or an error naming the client: the client id or secret (`clientRejected`).
/// - other 4xx: the grant was refused: a dead refresh token means the session is over
///   (`sessionExpired`); a code or assertion, that this sign-in failed (`grantRejected`).
package enum TokenEndpointError {
    package static func from(_ response: HTTPClientResponse, url: URL, grant: TokenGrant?) -> PDSAuthError {
        let reported = ServerError(response)
        let host = url.host ?? "the server"
        let status = response.status
        func error(_ code: PDSAuthError.Code, _ message: String) -> PDSAuthError {
            var error = PDSAuthError(code, message, reported: reported)
            error.detail("url", Redaction.url(url))
            return error
        }
        if (300..<400).contains(status) || [404, 405, 410, 415].contains(status) {
            var misconfigured = error(.endpointMisconfigured, "\(host) answered HTTP \(status): \(Redaction.url(url)) is not a token endpoint")
            if let location = response[header: .location], let target = URL(string: location)?.host {
                misconfigured.detail("redirects to", Redaction.terminalSafe(target, limit: 100))
            }
            return misconfigured
        }
        if status == 408 || status == 429 || status >= 500 {
            var unavailable = error(.serverUnavailable, "\(host) failed or is throttling: \(reported.summary)")
            if let wait = response[header: .retryAfter] { unavailable.retryAfter(wait) }
            return unavailable
        }
        let lowered = reported.code?.lowercased() ?? ""
        if status == 401 || lowered.contains("client") || lowered == "invalid_client" {
            return error(.clientRejected, "\(host) does not accept the client: \(reported.summary)")
        }
        if case .refreshToken = grant {
            return error(.sessionExpired, "\(host) refused the saved refresh token: \(reported.summary)")
        }
        return error(.grantRejected, "\(host) refused the request: \(reported.summary)")
    }
}

/// The error a server reported, from a PDS body, an RFC 6749 body or gateway headers, every
/// value stripped of control characters and bounded.
struct ServerError {
    var code: String?
    var message: String?
    var requestID: String?
    var status: Int

    init(_ response: HTTPClientResponse) {
        let body = try? JSONDecoder().decode(JSONScalarObject.self, from: response.body)
        func first(_ keys: [String]) -> String? {
            keys.lazy.compactMap { body?[$0]?.text }.first { !$0.isEmpty }
        }
        status = response.status
        code = (first(["code", "Code", "error"]) ?? response[header: .gatewayErrorCode]).map { Redaction.terminalSafe($0, limit: 80) }
        message = (first(["message", "Message", "error_description"]) ?? response[header: .gatewayErrorMessage])
            .map { Redaction.terminalSafe($0, limit: 300) }
        requestID = (first(["requestId", "RequestId", "request_id"]) ?? response[header: .gatewayRequestID])
            .map { Redaction.terminalSafe($0, limit: 100) }
        if code?.isEmpty == true { code = nil }
    }

    /// `code: message`, or the bare status when the server said nothing.
    var summary: String {
        let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
        return detail.isEmpty ? "HTTP \(status) with no error details" : detail
    }
}

extension PDSAuthError {
    /// An error about a server's answer, carrying what the server said of it: its status,
    /// error code and request id.
    init(_ code: Code, _ message: String, reported: ServerError) {
        self.init(code, message, httpStatus: reported.status, serverCode: reported.code, requestID: reported.requestID)
    }

    /// `Retry-After` (RFC 9110 §10.2.3): delay-seconds become ``retryAfter``; an HTTP-date
    /// (or anything else) is only shown, as the server wrote it.
    package mutating func retryAfter(_ header: String) {
        if !header.isEmpty, header.utf8.count <= 9, header.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let seconds = Int(header)
        {
            retryAfter = .seconds(seconds)
        } else {
            detail("retry after", Redaction.terminalSafe(header, limit: 40))
        }
    }
}
