import FoundationEssentials
public import HTTPTypes

/// One outbound request, in swift-http-types' vocabulary (a method and fields as
/// `HTTPRequest` has them) plus the absolute URL libcurl fetches. Bodies are bytes already
/// encoded (see `FormEncoding`).
package struct HTTPClientRequest: Sendable {
    package var method: HTTPRequest.Method
    package var url: URL
    /// Sent in this order; libcurl adds `Host`, `Content-Length` and the like itself.
    package var headerFields: HTTPFields
    package var body: Data?

    package init(method: HTTPRequest.Method = .get, url: URL, headerFields: HTTPFields = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headerFields = headerFields
        self.body = body
    }
}

/// A completed exchange: status, header fields in the order received, and body.
public struct HTTPClientResponse: Sendable {
    /// The final response's status code.
    public var status: Int
    /// Every header field of the final response, names as sent (`HTTPField.Name.rawName`).
    /// A line whose name is not an RFC 9110 token is not a field and is not kept.
    public var headerFields: HTTPFields
    /// The body, as received (within the transfer's size bound).
    public var body: Data
    /// The final response's status line as the server sent it (`HTTP/1.1 200 OK`), if any.
    public var statusLine: String?

    /// A response with these parts (tests and fakes build them).
    public init(status: Int, headerFields: HTTPFields = [:], body: Data = Data(), statusLine: String? = nil) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
        self.statusLine = statusLine
    }

    /// The last value of the header `name` (case-insensitive, RFC 9110 §5.1): where a server
    /// repeats a field that takes one value (`Retry-After`, `Location`), the last one counts,
    /// as in libcurl.
    public subscript(header name: HTTPField.Name) -> String? {
        headerFields[values: name].last
    }
}

extension HTTPFields {
    /// A form POST that asks for JSON: what token, device-authorization and revocation
    /// endpoints take (RFC 6749 §4.1.3, RFC 8628 §3.1, RFC 7009 §2.1).
    package static let formAskingForJSON: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
    /// A JSON body that asks for JSON: PDS's own APIs (PDS API reference).
    package static let jsonAskingForJSON: HTTPFields = [.contentType: "application/json", .accept: "application/json"]
}

extension HTTPField.Name {
    /// The PDS API gateway's error fields, sent when it answers without a JSON body.
    package static let gatewayErrorCode = HTTPField.Name("x-ca-error-code")!
    package static let gatewayErrorMessage = HTTPField.Name("x-ca-error-message")!
    package static let gatewayRequestID = HTTPField.Name("x-ca-request-id")!
}
