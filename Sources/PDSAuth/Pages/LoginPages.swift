import FoundationEssentials
import Hummingbird
import PDSShared

/// The listener's pages, rendered from `Public/`'s templates: what `LoginFlow` decided
/// (`LoginReply`), and the listener's own refusals. Every value shown is escaped by the
/// templates; the browser-facing advice never names command-line flags.
public struct LoginPages: Sendable {
    let renderer: PageRenderer
    public let policy: ContentSecurityPolicy

    public init() throws(PDSAuthError) {
        do {
            renderer = try PageRenderer(folder: "", templates: ["start", "success", "problem"], script: "token.js",
                                        constants: ["version": PDSAuthVersion.current])
        } catch {
            throw PDSAuthError(.internal, "This build of pds-auth lacks its sign-in pages (\(error))")
        }
        policy = renderer.contentSecurityPolicy()
    }

    public func response(_ reply: LoginReply, head: Bool) -> Response {
        switch reply {
        case .start(let content):
            return page(.ok, renderer.render("start", Self.values(content)), head)
        case .startLocked:
            return problem(.forbidden, title: "Use the link printed in your terminal", head: head,
                           message: "This page opens only with the link pds-auth printed (or opened) for this sign-in.",
                           hint: "Copy the address from the terminal where pds-auth login is running.")
        case .signedIn(let result):
            return page(.ok, renderer.render("success", Self.values(result)), head)
        case .failed(let error):
            let denied = error.code == .authorizationDenied && error.context["provider error"] == "access_denied"
            let title = denied ? "Sign-in denied" : error.code == .authorizationDenied ? "Sign-in refused" : "Sign-in failed"
            return problem(.ok, title: title, head: head, message: error.message,
                           hint: "The terminal says what to do next.", code: error.code.description, details: error.context)
        case .refused(let refusal):
            return problem(.badRequest, title: "Not this sign-in", head: head, message: Self.explanation(refusal),
                           hint: "If you started a sign-in, open the link printed in your terminal. pds-auth is still waiting.")
        case .ended:
            return problem(.gone, title: "This sign-in has ended", head: head, message: "pds-auth is no longer waiting for this sign-in.",
                           hint: "Check the terminal for the result, or start again.")
        }
    }

    static func explanation(_ refusal: LoginRefusal) -> String {
        switch refusal {
        case .stateMissing: "This redirect carries no state, so it cannot belong to the sign-in pds-auth is waiting for; it was ignored and no code was exchanged."
        case .stateMismatch: "This redirect belongs to another sign-in (its state does not match, perhaps an old tab); it was ignored and no code was exchanged."
        case .unparsable: "That is neither a redirect address nor a code."
        case .codeRejected: "The server did not accept that code; paste it again."
        case .issuerMissing: "This redirect does not say which server sent it (no iss), although that server always says so; it was ignored and no code was exchanged."
        case .issuerMismatch: "This redirect was sent by another server than the one this sign-in started with (its iss does not match): a possible mix-up attack. It was ignored and no code was exchanged."
        }
    }

    func notFound(head: Bool) -> Response {
        problem(.notFound, title: "Not found", head: head, message: "pds-auth serves only its sign-in page here.",
                hint: "Return to the sign-in page or the terminal.")
    }

    func misdirected(head: Bool) -> Response {
        problem(.misdirectedRequest, title: "Wrong host", head: head, message: "This server answers only requests addressed to this computer's loopback address.")
    }

    func methodNotAllowed() -> Response {
        var response = problem(.methodNotAllowed, title: "Method not allowed", head: false, message: "pds-auth's sign-in listener answers only GET and HEAD.")
        response.headers[.allow] = "GET, HEAD"
        return response
    }

    func tooLong(head: Bool) -> Response {
        problem(.badRequest, title: "Request too long", head: head, message: "This request is longer than any genuine redirect.")
    }

    private func problem(_ status: HTTPResponse.Status, title: String, head: Bool, message: String, hint: String? = nil,
                         code: String? = nil, details: [String: String] = [:]) -> Response {
        let rows = details.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        var values: [String: Any] = ["title": title, "message": message, "details": rows, "hasDetails": !rows.isEmpty]
        if let hint { values["hint"] = hint }
        if let code { values["code"] = code }
        return page(status, renderer.render("problem", values), head)
    }

    private func page(_ status: HTTPResponse.Status, _ html: String, _ head: Bool) -> Response {
        HTMLPage.response(status, html, includeBody: !head)
    }

    static func values(_ content: StartPageContent) -> [String: Any] {
        ["providerName": content.providerName, "clientID": content.clientID, "domain": content.domain,
         "scope": content.scope ?? "the app's default", "provider": content.provider, "redirectURI": content.redirectURI,
         "authorizeURL": content.authorizeURL.absoluteString, "profile": content.profileName]
    }

    static func values(_ login: LoginResult) -> [String: Any] {
        let profile = login.profile
        var values: [String: Any] = [
            "expiry": profile.expiresAt.map(ExpiryText.absolute) ?? "unknown",
            "accessToken": profile.accessToken,
            "maskedToken": Redaction.mask(profile.accessToken),
            "profile": login.profileName,
        ]
        // Absent for a generic provider, which says nothing about the user (the page then omits "as …").
        if let user = profile.user?.userName ?? profile.user?.nickName ?? profile.user?.userID { values["user"] = user }
        if let id = profile.user?.userID { values["userID"] = id }
        if let domain = profile.user?.domainID ?? profile.domainID { values["domain"] = domain }
        if let drive = profile.user?.defaultDriveID, !drive.isEmpty { values["drive"] = drive }
        return values
    }
}
