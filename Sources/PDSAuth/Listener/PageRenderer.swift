import Crypto
import Mustache

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Renders the listener's pages from the Mustache templates embedded from `Public/`.
/// Dynamic values go through `{{…}}` (HTML-escaped); only the static stylesheet and script
/// from `Public/` are inlined raw, and the Content-Security-Policy allows exactly those two
/// by SHA-256 hash — no other script or style can run, and nothing loads from elsewhere.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let style: String
    private let script: String
    public let contentSecurityPolicy: String

    public init() throws(PDSAuthError) {
        func asset(_ name: String) throws(PDSAuthError) -> String {
            guard let data = PublicAssets.files[name] else {
                throw PDSAuthError(.failure, code: "missing_page", "The page asset \(name) is missing from this build")
            }
            return String(decoding: data, as: UTF8.self)
        }
        var library = MustacheLibrary()
        for name in ["start", "success", "problem"] {
            do {
                try library.register(try asset("\(name).mustache"), named: name)
            } catch let error as PDSAuthError {
                throw error
            } catch {
                throw PDSAuthError(.failure, code: "bad_template", "The page template \(name) does not parse")
            }
        }
        self.library = library
        self.style = try asset("style.css")
        self.script = try asset("token.js")
        self.contentSecurityPolicy = [
            "default-src 'none'",
            "style-src '\(Self.hash(style))'",
            "script-src '\(Self.hash(script))'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }

    /// Renders `template` with `values` plus the shared style, script and version.
    public func render(_ template: String, _ values: [String: Any]) -> String {
        var context = values
        context["style"] = style
        context["script"] = script
        context["version"] = PDSAuthVersion.current
        return library.render(context, withTemplate: template) ?? ""
    }

    /// The error page for `error`: its message, hint, code and context, all escaped.
    public func problem(_ error: PDSAuthError, title: String) -> String {
        let details = error.context.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        var values: [String: Any] = ["title": title, "message": error.message, "code": error.code,
                                     "details": details, "hasDetails": !details.isEmpty]
        if let hint = error.hint { values["hint"] = hint }
        return render("problem", values)
    }
}
