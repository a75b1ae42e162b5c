import FoundationEssentials

/// One outbound request. Bodies are bytes already encoded (see `FormEncoding`).
package struct HTTPClientRequest: Sendable {
    /// An HTTP method token (RFC 9110 §9.1), e.g. `GET`, `POST`.
    package var method: String
    package var url: URL
    package var headers: [(name: String, value: String)]
    package var body: Data?

    package init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// True for an RFC 9110 §5.6.2 token: what a method may be spelled with.
    package static func isMethodToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy { byte in
                FormEncoding.isUnreserved(byte) || "!#$%&'*+^`|".utf8.contains(byte)
            }
    }
}

/// A completed exchange: status, headers in the order received, and body.
public struct HTTPClientResponse: Sendable {
    /// The final response's status code.
    public var status: Int
    /// Every header line of the final response, names as sent.
    public var headerLines: [(name: String, value: String)]
    /// The body, as received (within the transfer's size bound).
    public var body: Data
    /// The final response's status line as the server sent it (`HTTP/1.1 200 OK`), if any.
    public var statusLine: String?

    /// A response with these parts (tests and fakes build them).
    public init(status: Int, headerLines: [(name: String, value: String)] = [], body: Data = Data(), statusLine: String? = nil) {
        self.status = status
        self.headerLines = headerLines
        self.body = body
        self.statusLine = statusLine
    }

    /// The last value of the header `name` (case-insensitive, RFC 9110 §5.1).
    public subscript(header name: String) -> String? {
        let wanted = name.lowercased()
        return headerLines.last { $0.name.lowercased() == wanted }?.value
    }
}
