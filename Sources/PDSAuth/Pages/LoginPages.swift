import FoundationEssentials
import Hummingbird
import PDSShared

/// The listener's pages, rendered from `Public/`'s templates: what `LoginFlow` decided
/// (`LoginReply`), and the listener's own refusals. Every value shown is escaped by the
/// templates; the browser-facing advice never names command-line flags.
package struct LoginPages: Sendable {
    let renderer: PageRenderer
    package let policy: ContentSecurityPolicy

    package init() throws(PDSAuthError) {
        do {
            renderer = try PageRenderer(
                folder: "", templates: ["start", "success", "problem"], script: "token.js",
                constants: ["version": PDSAuthVersion.current])
        } catch {
            throw PDSAuthError(.internal, "This build of pds-auth lacks its sign-in pages (\(error))")
        }
        policy = renderer.contentSecurityPolicy()
    }

    package func response(_ reply: LoginReply, head: Bool) -> Response {
        response(Self.page(for: reply), head: head)
    }

    /// The page `reply` gets, before rendering.
    static func page(for reply: LoginReply) -> Page {
        switch reply {
        case .start(let content):
            return Page(status: .ok, template: "start", values: values(content))
        case .startLocked:
            return problem(
                .forbidden, title: "Use the link printed in your terminal",
                message: "This page opens only with the link pds-auth printed (or opened) for this sign-in.",
                hint: "Copy the address from the terminal where pds-auth login is running.")
        case .signedIn(let result):
            return Page(status: .ok, template: "success", values: values(result))
        case .failed(let error):
            let denied = error.code == .authorizationDenied && error.providerError == "access_denied"
            let title = denied ? "Sign-in denied" : error.code == .authorizationDenied ? "Sign-in refused" : "Sign-in failed"
            return problem(
                .ok, title: title, message: error.message,
                hint: "The terminal says what to do next.", code: error.code.description, details: error.shownDetails)
        case .refused(let refusal):
            return problem(
                .badRequest, title: "Not this sign-in", message: explanation(refusal),
                hint: "If you started a sign-in, open the link printed in your terminal. pds-auth is still waiting.")
        case .ended:
            return problem(
                .gone, title: "This sign-in has ended", message: "pds-auth is no longer waiting for this sign-in.",
                hint: "Check the terminal for the result, or start again.")
        }
    }

    static func explanation(_ refusal: LoginRefusal) -> String {
        switch refusal {
        case .stateMissing:
            "This redirect carries no state, so it cannot belong to the sign-in pds-auth is waiting for; it was ignored and no code was exchanged."
        case .stateMismatch:
            "This redirect belongs to another sign-in (its state does not match, perhaps an old tab); it was ignored and no code was exchanged."
        case .unparsable: "That is neither a redirect address nor a code."
        case .codeRejected: "The server did not accept that code; paste it again."
        case .issuerMissing:
            "This redirect does not say which server sent it (no iss), although that server always says so; it was ignored and no code was exchanged."
        case .issuerMismatch:
            "This redirect was sent by another server than the one this sign-in started with (its iss does not match): a possible mix-up attack. It was ignored and no code was exchanged."
        }
    }

    // The listener's own refusals, before any sign-in logic sees the request.
    static let notFound = problem(
        .notFound, title: "Not found", message: "pds-auth serves only its sign-in page here.",
        hint: "Return to the sign-in page or the terminal.")
    static let misdirected = problem(
        .misdirectedRequest, title: "Wrong host",
        message: "This server answers only requests addressed to this computer's loopback address.")
    static let methodNotAllowed = problem(
        .methodNotAllowed, title: "Method not allowed",
        message: "pds-auth's sign-in listener answers only GET and HEAD.")
    static let tooLong = problem(.badRequest, title: "Request too long", message: "This request is longer than any genuine redirect.")

    func notFound(head: Bool) -> Response { response(Self.notFound, head: head) }
    func misdirected(head: Bool) -> Response { response(Self.misdirected, head: head) }
    func tooLong(head: Bool) -> Response { response(Self.tooLong, head: head) }

    func methodNotAllowed() -> Response {
        var response = response(Self.methodNotAllowed, head: false)
        response.headers[.allow] = "GET, HEAD"
        return response
    }

    /// One page before rendering: its status, its template under `Public/` and the values.
    struct Page: Sendable {
        var status: HTTPResponse.Status
        var template: String
        var values: [String: PageValue]
    }

    private static func problem(
        _ status: HTTPResponse.Status, title: String, message: String, hint: String? = nil,
        code: String? = nil, details: [PDSAuthError.Detail] = []
    ) -> Page {
        let rows = details.map { PageValue.object(["name": .text($0.label), "value": .text($0.value)]) }
        var values: [String: PageValue] = [
            "title": .text(title), "message": .text(message), "details": .list(rows),
            "hasDetails": .flag(!rows.isEmpty),
        ]
        if let hint { values["hint"] = .text(hint) }
        if let code { values["code"] = .text(code) }
        return Page(status: status, template: "problem", values: values)
    }

    func render(_ page: Page) -> String {
        renderer.render(page.template, page.values)
    }

    private func response(_ page: Page, head: Bool) -> Response {
        HTMLPage.response(page.status, render(page), includeBody: !head)
    }

    static func values(_ content: StartPageContent) -> [String: PageValue] {
        [
            "providerName": .text(content.providerName), "clientID": .text(content.clientID), "domain": .text(content.domain),
            "scope": .text(content.scope ?? "the app's default"), "provider": .text(content.provider),
            "redirectURI": .text(content.redirectURI), "authorizeURL": .text(content.authorizeURL.absoluteString),
            "profile": .text(content.profileName),
        ]
    }

    static func values(_ login: LoginResult) -> [String: PageValue] {
        let profile = login.profile
        var values: [String: PageValue] = [
            "expiry": .text(profile.expiresAt.map(ExpiryText.absolute) ?? "unknown"),
            "accessToken": .text(profile.accessToken),
            "maskedToken": .text(Redaction.mask(profile.accessToken)),
            "profile": .text(login.profileName),
        ]
        // Absent for a generic provider, which says nothing about the user (the page then omits "as …").
        if let user = profile.user?.displayName { values["user"] = .text(user) }
        if let id = profile.user?.userID { values["userID"] = .text(id) }
        if let domain = profile.user?.domainID ?? profile.domainID { values["domain"] = .text(domain) }
        if let drive = profile.user?.defaultDriveID, !drive.isEmpty { values["drive"] = .text(drive) }
        return values
    }
}
