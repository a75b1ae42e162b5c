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
        !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy { byte in
            FormEncoding.isUnreserved(byte) || "!#$%&'*+^`|".utf8.contains(byte)
        }
    }
}
