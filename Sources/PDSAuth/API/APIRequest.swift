import FoundationEssentials
public import HTTPTypes

/// One call to a PDS API (PDS API reference: `POST /v2/…` with a JSON body, `{}` when there
/// is nothing to send), relative to a profile's endpoint. The bearer token is added when the
/// call is sent, and only ever to that endpoint's host: a request names a path, never a URL.
public struct APIRequest: Sendable {
    /// The HTTP method; PDS APIs take `POST` with a JSON body.
    public var method: HTTPRequest.Method
    /// `/v2/user/get`, optionally with a query.
    public var path: String
    /// JSON text; nil sends no body.
    public var body: [UInt8]?
    /// Extra header fields (never `Authorization`, which pds-auth sets, nor `Host`).
    public var headerFields: HTTPFields

    /// Largest request body sent.
    public static let maxBodySize = 8 << 20

    /// A request for `path` under the profile's endpoint (a leading `/` is added; a URL, or a
    /// path that climbs out of the base, is refused); throws for a body over
    /// ``maxBodySize`` or not JSON, and an `Authorization` or `Host` field or one whose value
    /// is not printable ASCII. (`HTTPField` has already turned a control character in a value
    /// into a space; text typed by a user goes through `field(_:)`, which refuses it.)
    public init(method: HTTPRequest.Method = .post, path: String, body: [UInt8]? = nil, headerFields: HTTPFields = [:]) throws(PDSAuthError) {
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
        for field in headerFields { _ = try Self.checked(name: field.name.canonicalName, value: field.value) }
        self.method = method
        self.path = path
        self.body = body
        self.headerFields = headerFields
    }

    /// A method as typed (`-X get`): an RFC 9110 §9.1 token, upper-cased, at most 32 characters.
    package static func method(_ text: String) throws(PDSAuthError) -> HTTPRequest.Method {
        // A token as typed, then upper-cased: `poſt` is no token, though it upper-cases to POST.
        guard text.utf8.count <= 32, HTTPRequest.Method(text) != nil, let method = HTTPRequest.Method(text.uppercased()) else {
            throw PDSAuthError(.invalidRequest, "\"\(Redaction.terminalSafe(text, limit: 40))\" is not an HTTP method")
        }
        return method
    }

    /// A header field as typed (`-H "Name: value"`), checked before swift-http-types would
    /// quietly turn a control character into a space.
    package static func field(_ line: String) throws(PDSAuthError) -> HTTPField {
        guard let colon = line.firstIndex(of: ":") else {
            throw PDSAuthError(.invalidRequest, "-H \"\(Redaction.terminalSafe(line, limit: 60))\" is not \"Name: value\"")
        }
        let name = line[..<colon].trimmed()
        let value = line[line.index(after: colon)...].trimmed()
        return HTTPField(name: try checked(name: name, value: value), value: value)
    }

    /// `name` as a field name, unless it is no token, is pds-auth's own (`Authorization`,
    /// `Host`), or comes with a value that is not printable ASCII.
    private static func checked(name: String, value: String) throws(PDSAuthError) -> HTTPField.Name {
        guard let fieldName = HTTPField.Name(name), fieldName != .authorization, fieldName.canonicalName != "host",
            value.utf8.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) })
        else {
            throw PDSAuthError(
                .invalidRequest,
                "The header \"\(Redaction.terminalSafe(name, limit: 40))\" cannot be sent (Authorization and Host are pds-auth's; values are printable text)"
            )
        }
        return fieldName
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
