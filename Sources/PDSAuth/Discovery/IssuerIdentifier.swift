import FoundationEssentials

/// An authorization server's issuer identifier (RFC 8414 §2): an `https` URL with no query or
/// fragment (plain `http` only for a loopback host, for tests and local servers), compared as
/// a string, exactly, wherever it is checked (RFC 8414 §3.3, RFC 9207 §2.4): no case folding,
/// no trailing-slash or default-port normalisation, because an attacker's issuer may differ
/// from the real one by exactly such a detail.
public struct IssuerIdentifier: Sendable, Equatable, CustomStringConvertible {
    /// The identifier as given, byte for byte.
    public let text: String
    public let url: URL

    /// Longest identifier accepted; real ones are a few dozen bytes.
    public static let maxLength = 1024

    public init(_ text: String) throws(PDSAuthError) {
        let shown = Redaction.terminalSafe(text, limit: 200)
        // Compared byte for byte and shown in `status`: only the characters a URL is written with.
        guard Self.isURLText(text) else {
            throw PDSAuthError(.invalidURL, "The issuer \"\(shown)\" has characters no URL is written with (spaces, control characters, non-ASCII)")
        }
        let url = try ProviderEndpoints.checked(text, what: "issuer")
        guard text.utf8.count <= Self.maxLength, url.query == nil, url.fragment == nil, !text.contains("?"), !text.contains("#") else {
            throw PDSAuthError(.invalidURL, "The issuer \"\(shown)\" must be a URL without a query or fragment (RFC 8414 §2)")
        }
        self.text = text
        self.url = url
    }

    public var description: String { text }

    /// Printable ASCII without spaces (RFC 3986 §2: URLs are written with nothing else).
    static func isURLText(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// RFC 8414 §3.3 and RFC 9207 §2.4: identical strings, nothing else.
    public func matches(_ other: String?) -> Bool {
        other == text
    }

    /// Where the metadata is looked for, in order: RFC 8414 §3.1 (the well-known suffix
    /// inserted between host and path: `https://h/t` → `https://h/.well-known/oauth-authorization-server/t`),
    /// then OpenID Connect Discovery 1.0 §4 (appended: `https://h/t/.well-known/openid-configuration`),
    /// the form RFC 8414 §5 keeps for compatibility.
    public var metadataURLs: [URL] {
        var origin = text
        var path = ""
        if let schemeEnd = text.firstRange(of: "://"), let slash = text[schemeEnd.upperBound...].firstIndex(of: "/") {
            origin = String(text[..<slash])
            path = String(text[slash...])
        }
        // "A terminating / following the host component" is dropped (RFC 8414 §3.1).
        if path == "/" { path = "" }
        var appended = text
        while appended.hasSuffix("/") { appended.removeLast() }
        return [origin + "/.well-known/oauth-authorization-server" + path, appended + "/.well-known/openid-configuration"]
            .compactMap { URL(string: $0) }
    }

    /// True when the issuer's host is this machine's loopback interface.
    public var isLoopback: Bool {
        url.host.map { LoopbackHost.isLoopback($0) } ?? false
    }
}
