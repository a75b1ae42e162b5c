#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The loopback redirect URI the listener serves (RFC 8252 §7.3): the exact text sent to
/// the provider (which compares it byte for byte), plus the host, port and path to serve.
public struct RedirectTarget: Sendable, Equatable {
    public var uri: String
    /// Host as written, without IPv6 brackets: `127.0.0.1`, `::1` or `localhost`.
    public var host: String
    public var port: Int
    /// The path the callback arrives on; `/` when the URI has none.
    public var path: String

    public static let defaultURI = "http://127.0.0.1:8765/callback"

    public init(parsing text: String) throws(PDSAuthError) {
        let shown = Redaction.terminalSafe(text, limit: 200)
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PDSAuthError(.configuration, code: "invalid_redirect_uri", "The redirect URI \"\(shown)\" cannot be parsed",
                               hint: "Use the callback URL registered on the app, e.g. \(Self.defaultURI).")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw PDSAuthError(.configuration, code: "invalid_redirect_uri", "The redirect URI \"\(shown)\" must use http",
                               hint: "pds-auth receives the redirect on a plain-http loopback listener (RFC 8252 §7.3).")
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard LoopbackHost.isLoopback(bare) else {
            throw PDSAuthError(.configuration, code: "invalid_redirect_uri", "The redirect URI host \"\(Redaction.terminalSafe(bare, limit: 100))\" is not a loopback address",
                               hint: "Register and use a loopback redirect such as http://127.0.0.1:8765/callback.")
        }
        guard components.fragment == nil, components.user == nil, components.password == nil else {
            throw PDSAuthError(.configuration, code: "invalid_redirect_uri", "The redirect URI \"\(shown)\" must not have a fragment or credentials",
                               hint: "RFC 6749 §3.1.2 forbids fragments in redirect URIs.")
        }
        self.uri = text
        self.host = bare
        self.port = components.port ?? 80
        self.path = components.path.isEmpty ? "/" : components.path
    }

    /// The listener's own page, `http://host:port/`, for the user to open.
    public var startPageURL: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)/"
    }
}
