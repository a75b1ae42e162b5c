import Foundation
import Mustache
import PDSAuthTestSupport
import PDSShared
import Testing

@testable import PDSAuth
@testable import PDSDevServer

/// The pages' templates are compiled into Swift at build time (EmbedPublicTool); swift-mustache,
/// the reference for what a template means, renders them here from `Public/` with the same
/// values. Every page of the listener and of the dev server, with ordinary and hostile values,
/// must come out byte for byte the same.
@Suite struct PageTemplateTests {
    static let publicDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Public")

    /// Markup, entities, both quotes, Mustache tags (never re-parsed), bidi overrides and
    /// isolates, zero-width characters, line breaks, NUL, non-ASCII and the empty string.
    static let hostile = [
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "a & b &amp; c &#39; &lt;",
        #""double" 'single' `back` \"escaped\" ="#,
        "{{title}} {{{style}}} {{#details}}x{{/details}} {{! c }} {{> partial}} {{=<% %>=}}",
        "\u{202E}gpj.exe\u{202C} \u{2066}isolated\u{2069} \u{200B}zero\u{200D}width\u{FEFF}",
        "line\nbreak\r\nreturn\rtab\t",
        "nul\u{0}and\u{7F}del",
        "Ünïcödé 漢字 🙂 👩‍💻",
        "",
    ]

    @Test func everyPageRendersAsSwiftMustacheDoes() throws {
        let listener = try LoginPages().renderer
        let devServer = try PageRenderer.devServer()
        var compared = Set<String>()
        for text in Self.hostile + ["ordinary"] {
            for page in try Self.listenerPages(text) {
                try Self.expectSame(listener, folder: "", page.template, page.values)
                compared.insert(page.template)
            }
            for (template, values) in Self.devServerPages(text) {
                try Self.expectSame(devServer, folder: "dev-server/", template, values)
                compared.insert("dev-server/" + template)
            }
        }
        // Every template in Public/ is compiled, and every one was compared.
        let onDisk = try Self.templatesOnDisk()
        #expect(PageRenderer.compiledTemplates == onDisk)
        #expect(compared == onDisk)
    }

    /// The one place the compiled pages differ on purpose: swift-mustache escapes whole
    /// characters, so a quote followed by a combining mark (one character) is left as it is
    /// and would end an attribute value; the compiled pages escape every quote.
    @Test func aQuoteWithACombiningMarkIsEscapedToo() throws {
        let renderer = try PageRenderer.devServer()
        let values: [String: PageValue] = ["title": "t", "message": "m", "code": "c", "hint": "\"\u{301} onfocus=x"]
        let ours = renderer.render("problem", values)
        #expect(ours.contains("<footer id=\"hint\">&quot;\u{301} onfocus=x</footer>"))
        let reference = try MustacheTemplate(string: Self.source("dev-server/problem")).render(Self.mustacheValue(.object(renderer.context(values))))
        #expect(reference.contains("<footer id=\"hint\">\"\u{301} onfocus=x</footer>"))
    }

    /// What the compiler does not compile stops the build, naming the file and the place:
    /// partials, inheritance, set delimiters, pragmas, transforms, dotted names; and what
    /// swift-mustache cannot parse.
    @Test(arguments: [
        "{{> partial}}", "{{<parent}}{{/parent}}", "{{$block}}x{{/block}}", "{{=<% %>=}}",
        "{{% CONTENT_TYPE: TEXT}}", "{{upper(name)}}", "{{user.name}}", "{{#open}}never closed",
    ])
    func theCompilerRefusesWhatItCannotCompile(_ template: String) async throws {
        let (status, output) = try await Self.compile(["bad.mustache": "<p>\n  x " + template + "\n"])
        #expect(status == 1)
        #expect(
            output.hasPrefix("EmbedPublicTool: error: Public/bad.mustache:2:")
                || output.hasPrefix("EmbedPublicTool: error: Public/bad.mustache:3:1: expectedSectionEnd"), "\(output)")
    }

    @Test func theCompilerWritesARenderingFunctionPerTemplateAndEmbedsTheRest() async throws {
        let scratch = TemporaryDirectory()
        let (status, output) = try await Self.compile(
            [
                "a.mustache": "{{! c }}\n<b>{{x}}</b>{{#s}}{{{y}}}{{/s}}", "dir/b.mustache": "{{^z}}-{{/z}}",
                "style.css": "p{}",
            ], into: scratch)
        #expect(status == 0, "\(output)")
        let templates = try String(contentsOfFile: scratch.file("CompiledTemplates.swift"), encoding: .utf8)
        #expect(templates.contains(#"static let names: Set<String> = ["a", "dir/b"]"#))
        #expect(
            templates.contains(#"page.text("<b>")"#) && templates.contains(#"page.escaped("x")"#)
                && templates.contains(#"page.section("s") { page in"#) && templates.contains(#"page.raw("y")"#)
                && templates.contains(#"page.inverted("z") { page in"#))
        let assets = try String(contentsOfFile: scratch.file("PublicAssets.swift"), encoding: .utf8)
        #expect(assets.contains(#""style.css": "p{}","#) && !assets.contains("mustache"))
    }

    /// Runs the build tool on a `Public/` folder holding `files`.
    static func compile(_ files: [String: String], into output: TemporaryDirectory = TemporaryDirectory()) async throws -> (Int32, String) {
        let source = TemporaryDirectory()
        for (path, text) in files {
            let url = URL(fileURLWithPath: source.file("Public/" + path))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return try await ChildTool.run(
            CLIProcess.binary("EmbedPublicTool"),
            [source.file("Public"), output.file("PublicAssets.swift"), output.file("CompiledTemplates.swift")])
    }

    static func expectSame(
        _ renderer: PageRenderer, folder: String, _ template: String, _ values: [String: PageValue],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let reference = try MustacheTemplate(string: source(folder + template))
        let expected = reference.render(mustacheValue(.object(renderer.context(values))))
        let rendered = renderer.render(template, values)
        #expect(!rendered.isEmpty, "\(folder + template) rendered nothing", sourceLocation: sourceLocation)
        // Bytes, not String ==, which takes canonically equivalent strings as equal.
        let ours = Array(rendered.utf8)
        let theirs = Array(expected.utf8)
        guard ours != theirs else { return }
        let first = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, first - 60)..<min(bytes.count, first + 60)], as: UTF8.self).debugDescription
        }
        let difference = "\(folder + template) differs from swift-mustache at byte \(first): ours \(around(ours)), swift-mustache \(around(theirs))"
        Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
    }

    /// Every page the listener serves, with `text` in every field a page shows.
    static func listenerPages(_ text: String) throws -> [LoginPages.Page] {
        let start = StartPageContent(
            providerName: text, clientID: text, domain: text, scope: text, provider: text, redirectURI: text,
            authorizeURL: try #require(URL(string: "https://example.com/authorize?q=%3C&s=%22")), profileName: text)
        var unscoped = start
        unscoped.scope = nil
        let user = StoredUser(userID: text, userName: text, nickName: text, domainID: text, defaultDriveID: text, role: text)
        var profile = try StoredProfile.fixture(endpoint: "https://example.com", domainID: text, accessToken: text + "-token")
        let anonymous = LoginResult(profileName: text, profile: profile, credentialsPath: "/nowhere")
        profile.user = user
        let known = LoginResult(profileName: text, profile: profile, credentialsPath: "/nowhere")
        let replies: [LoginReply] = [
            .start(start), .start(unscoped), .startLocked, .signedIn(known), .signedIn(anonymous),
            .failed(PDSAuthError(.authorizationDenied, text, details: ["error": text, "b-" + text: text])),
            .failed(PDSAuthError(.invalidURL, text)),
            .refused(.stateMissing), .refused(.stateMismatch), .refused(.unparsable), .ended,
        ]
        return replies.map(LoginPages.page(for:))
            + [LoginPages.notFound, LoginPages.misdirected, LoginPages.methodNotAllowed, LoginPages.tooLong]
    }

    /// Every page the dev server serves, with `text` in every field a page shows.
    static func devServerPages(_ text: String) -> [(String, [String: PageValue])] {
        let app = DevApp(clientID: text, name: text, redirectURIs: [text])
        let pending = PendingAuthorization(
            app: app, redirectURI: text, state: text, scopes: [text, "FILE.ALL", text],
            codeChallenge: text, expiresAt: Date())
        var publicApp = pending
        publicApp.codeChallenge = nil
        publicApp.scopes = []
        let users = [DevUser(userID: text, userName: text, nickName: text, role: text), DevUser(userID: "u2", userName: text)]
        return [
            ("consent", ConsentPage(pending: pending, pendingID: text, domainID: text, users: users, expiresIn: 600).values),
            ("consent", ConsentPage(pending: publicApp, pendingID: text, domainID: text, users: [], expiresIn: 0).values),
            ("problem", ProblemPage(status: .badRequest, title: text, message: text, code: text, hint: text).values),
            ("problem", ProblemPage(status: .badRequest, title: text, message: text, code: text, hint: nil).values),
        ]
    }

    /// The same values as swift-mustache takes them.
    static func mustacheValue(_ value: PageValue) -> Any {
        switch value {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map(mustacheValue)
        case .object(let members): members.mapValues(mustacheValue)
        }
    }

    static func source(_ name: String) throws -> String {
        try String(contentsOf: publicDirectory.appendingPathComponent(name + ".mustache"), encoding: .utf8)
    }

    static func templatesOnDisk() throws -> Set<String> {
        let root = publicDirectory.standardizedFileURL.path
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        var names = Set<String>()
        while let path = walker.nextObject() as? String {
            if path.hasSuffix(".mustache") { names.insert(String(path.dropLast(".mustache".count))) }
        }
        return names
    }
}
