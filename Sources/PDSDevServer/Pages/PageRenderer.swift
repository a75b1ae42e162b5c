import Crypto
import Mustache

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Renders the consent and problem pages from the templates embedded from
/// `Public/dev-server/`. Every dynamic value goes through `{{…}}`, which HTML-escapes it
/// (quotes included, so attribute values are safe too); only the static stylesheet is
/// inlined raw, and the Content-Security-Policy admits exactly that stylesheet by hash.
/// The pages run no script at all.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let style: String
    private let styleSource: String

    init() throws(DevServerError) {
        var library = MustacheLibrary()
        for name in ["consent", "problem"] {
            let text = try Self.asset("dev-server/\(name).mustache")
            do {
                try library.register(text, named: name)
            } catch {
                throw .missingPageTemplate(name)
            }
        }
        self.library = library
        self.style = try Self.asset("dev-server/style.css")
        self.styleSource = "'sha256-" + Data(SHA256.hash(data: Array(style.utf8))).base64EncodedString() + "'"
    }

    private static func asset(_ path: String) throws(DevServerError) -> String {
        guard let data = PublicAssets.files[path] else { throw .missingPageTemplate(path) }
        return String(decoding: data, as: UTF8.self)
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        var context = values
        context["style"] = style
        return library.render(context, withTemplate: template) ?? ""
    }

    /// `default-src 'none'` blocks everything not listed: no script, no images, no
    /// connections. `form-action` lists where the consent form may go, including the
    /// redirect target, because browsers apply it to the redirect that answers the form.
    func contentSecurityPolicy(formTargets: [String]) -> String {
        [
            "default-src 'none'",
            "style-src \(styleSource)",
            "form-action " + (formTargets.isEmpty ? "'none'" : formTargets.joined(separator: " ")),
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }
}
