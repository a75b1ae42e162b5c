import FoundationEssentials

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
