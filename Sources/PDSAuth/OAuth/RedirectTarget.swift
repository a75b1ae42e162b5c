import FoundationEssentials

/// The loopback redirect URI the listener serves (RFC 8252 §7.3): the exact text sent to
/// the provider (which compares it byte for byte), plus the host, port and path to serve.
public struct RedirectTarget: Sendable, Equatable {
    public var uri: String
    /// Host as written, without IPv6 brackets: `127.0.0.1`, `::1` or `localhost`.
    public var host: String
    /// 0 means "any free port", resolved when the listener binds.
    public var port: Int
    /// The path the callback arrives on; `/` when the URI has none.
    public var path: String

    public static let defaultURI = "http://127.0.0.1:8765/callback"

    public init(parsing text: String) throws(PDSAuthError) {
        let shown = Redaction.terminalSafe(text, limit: 200)
        guard text.utf8.count <= 2048, let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" cannot be parsed")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" must use http: the listener is a plain-http loopback server (RFC 8252 §7.3)")
        }
        let bare = LoopbackHost.unbracketed(host)
        guard LoopbackHost.isLoopback(bare) else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI host \"\(Redaction.terminalSafe(bare, limit: 100))\" is not a loopback address")
        }
        guard components.fragment == nil, components.user == nil, components.password == nil else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" must not have a fragment or credentials (RFC 6749 §3.1.2)")
        }
        let port = components.port ?? 80
        guard (0...65535).contains(port) else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" has no valid port (0–65535)")
        }
        self.uri = text
        self.host = bare
        self.port = port
        self.path = components.path.isEmpty ? "/" : components.path
    }

    /// The same target on `port` (the port the listener actually bound), with the URI
    /// rewritten only when it asked for port 0.
    public func bound(to port: Int) -> RedirectTarget {
        var bound = self
        bound.port = port
        if var components = URLComponents(string: uri), components.port == 0 {
            components.port = port
            bound.uri = components.string ?? uri
        }
        return bound
    }

    /// `http://host:port`, the origin the listener's pages are served from.
    public var origin: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }
}
