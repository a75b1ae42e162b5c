import FoundationEssentials

/// One call to a PDS API (PDS API reference: `POST /v2/…` with a JSON body, `{}` when there
/// is nothing to send), relative to a profile's endpoint. The bearer token is added when the
/// call is sent, and only ever to that endpoint's host: a request names a path, never a URL.
public struct APIRequest: Sendable {
    /// The HTTP method; PDS APIs take `POST` with a JSON body.
    public var method: String
    /// `/v2/user/get`, optionally with a query.
    public var path: String
    /// JSON text; nil sends no body.
    public var body: [UInt8]?
    /// Extra headers (never `Authorization`, which pds-auth sets).
    public var headers: [(name: String, value: String)]

    /// Largest request body sent.
    public static let maxBodySize = 8 << 20

    /// A request for `path` under the profile's endpoint (a leading `/` is added; a URL, or a
    /// path that climbs out of the base, is refused); throws for a method that is no HTTP
    /// token, a body over ``maxBodySize`` or not JSON, and an `Authorization` or `Host`
    /// header or one with unprintable text.
    public init(method: String = "POST", path: String, body: [UInt8]? = nil, headers: [(name: String, value: String)] = []) throws(PDSAuthError) {
        guard HTTPClientRequest.isMethodToken(method) else {
            throw PDSAuthError(.invalidRequest, "\"\(Redaction.terminalSafe(method, limit: 40))\" is not an HTTP method")
        }
        guard !path.contains("://") else {
            throw PDSAuthError(.invalidRequest, "Give a path such as /v2/user/get, not a URL: the token is sent only to the profile's endpoint")
        }
        let path = path.hasPrefix("/") ? path : "/" + path
        guard Self.isPath(path) else {
            throw PDSAuthError(
                .invalidRequest,
                "\"\(Redaction.terminalSafe(path, limit: 100))\" is not a URL path (give a path such as /v2/user/get; the host is the profile's endpoint)"
            )
        }
        if let body {
            guard body.count <= Self.maxBodySize else {
                throw PDSAuthError(.invalidRequest, "The request body is larger than \(Self.maxBodySize >> 20) MiB")
            }
            guard JSONText(body) != nil else { throw PDSAuthError(.invalidRequest, "The request body is not JSON; PDS APIs take a JSON object") }
        }
        for header in headers {
            let lowered = header.name.lowercased()
            guard HTTPClientRequest.isMethodToken(header.name), lowered != "authorization", lowered != "host",
                header.value.utf8.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) })
            else {
                throw PDSAuthError(
                    .invalidRequest,
                    "The header \"\(Redaction.terminalSafe(header.name, limit: 40))\" cannot be sent (Authorization and Host are pds-auth's; values are printable text)"
                )
            }
        }
        self.method = method.uppercased()
        self.path = path
        self.body = body
        self.headers = headers
    }

    /// Path and query characters of RFC 3986 §3.3–3.4 (percent-encoded as needed), no
    /// `//` authority, no fragment, and nothing that climbs out of the base URL's path.
    static func isPath(_ path: String) -> Bool {
        guard path.utf8.count <= 4096, !path.hasPrefix("//"), !path.contains("/../"), !path.hasSuffix("/.."), !path.contains("#") else {
            return false
        }
        return path.utf8.allSatisfy { byte in
            FormEncoding.isUnreserved(byte) || "/?%!$&'()*+,;=:@".utf8.contains(byte)
        }
    }

    /// The full URL under `base`.
    func url(base: URL) -> URL? {
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        return URL(string: root + path)
    }
}
