import Hummingbird
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `GET /v2/oauth/authorize` (PDS Authorize API, RFC 6749 §4.1.1): checks the request and
/// shows the consent page, or explains the problem on a page or at the redirect URI.
struct AuthorizeHandler: Sendable {
    let state: DevServerState

    /// A problem with the client or its redirect URI is thrown as a ``ProblemPage``: it may
    /// not be sent to a redirect URI that cannot be trusted (RFC 6749 §4.1.2.1).
    func respond(to request: Request) async throws(ProblemPage) -> Response {
        guard let fields = FormFields(encoded: request.uri.query ?? "") else {
            throw ProblemPage(
                status: .badRequest, title: "This sign-in request cannot be answered",
                message: "The query string is not valid percent-encoded UTF-8.", code: "invalid_request")
        }
        let (app, redirectURI) = try AuthorizeRequest.trustedTarget(
            fields, apps: state.apps,
            anyLoopbackPort: state.configuration.allowsAnyLoopbackPort)
        let redirect = AuthorizeRedirect(redirectURI: redirectURI, state: fields.repeatedNames.contains("state") ? nil : fields["state"])
        do {
            let (scopes, challenge) = try AuthorizeRequest.validate(fields, app: app, configuration: state.configuration)
            return await consentPage(app: app, redirect: redirect, scopes: scopes, challenge: challenge)
        } catch {
            return state.pages.redirect(to: redirect.error(error))
        }
    }

    private func consentPage(app: DevApp, redirect: AuthorizeRedirect, scopes: [String], challenge: String?) async -> Response {
        let now = state.clock.now()
        let lifetime = state.pendingLifetime
        let pending = PendingAuthorization(
            app: app, redirectURI: redirect.redirectURI, state: redirect.state, scopes: scopes,
            codeChallenge: challenge, expiresAt: now.addingTimeInterval(Double(lifetime)))
        let id = await state.pending.add(pending, now: now)
        let page = ConsentPage(
            pending: pending, pendingID: id, domainID: state.configuration.domainID,
            users: await state.users.all(), expiresIn: lifetime)
        return page.response(renderer: state.pages)
    }
}

/// `POST /v2/oauth/authorize/decision`: the consent form's answer. Approval issues a code
/// bound to the pending request (RFC 6749 §4.1.2); denial sends `access_denied` (RFC 6749
/// §4.1.2.1). Either way the pending request is used up.
struct DecisionHandler: Sendable {
    let state: DevServerState

    func respond(to request: Request, context: DevServerRequestContext) async throws -> Response {
        let fields = try await formFields(request, context: context)
        guard let id = fields["request_id"], let pending = await state.pending.take(id, now: state.clock.now()) else {
            throw problem("This sign-in request is unknown, was already answered or has expired.", code: "unknown_request")
        }
        let redirect = AuthorizeRedirect(redirectURI: pending.redirectURI, state: pending.state)
        switch fields["decision"] {
        case "approve":
            return try await approve(pending, userID: fields["user_id"], redirect: redirect)
        case "deny":
            let denial = AuthorizeError(error: "access_denied", description: "The user denied the request")
            return state.pages.redirect(to: redirect.error(denial))
        default:
            throw problem("The form carried no decision (approve or deny).", code: "invalid_request")
        }
    }

    private func approve(_ pending: PendingAuthorization, userID: String?, redirect: AuthorizeRedirect) async throws -> Response {
        guard let userID, let user = await state.users.user(userID) else {
            throw problem("The form named no known user.", code: "invalid_request")
        }
        let now = state.clock.now()
        let grant = Grant(clientID: pending.app.clientID, user: user, scopes: pending.scopes)
        let code = AuthorizationCode(
            grant: grant, redirectURI: pending.redirectURI, codeChallenge: pending.codeChallenge,
            expiresAt: now.addingTimeInterval(Double(state.configuration.codeLifetime)))
        let value = await state.codes.issue(code, now: now)
        state.logger.info("Sign-in approved", metadata: ["client_id": "\(pending.app.clientID)", "user_id": "\(user.userID)"])
        return state.pages.redirect(to: redirect.success(code: value))
    }

    /// The form, with body problems shown as a page: the person in the browser reads them.
    private func formFields(_ request: Request, context: DevServerRequestContext) async throws(ProblemPage) -> FormFields {
        do {
            return try await BodyReader.form(request, context: context)
        } catch {
            throw problem(error.message, code: error.code.rawValue)
        }
    }

    private func problem(_ message: String, code: String) -> ProblemPage {
        ProblemPage(
            status: .badRequest, title: "This answer cannot be accepted", message: message, code: code,
            hint: "Start the sign-in again from the app.")
    }
}

/// The redirect that answers an authorize request (RFC 6749 §4.1.2 and §4.1.2.1): the
/// parameters are added to the registered redirect URI, keeping any query it already has
/// (RFC 6749 §3.1.2), and `state` is echoed exactly when the client sent one.
struct AuthorizeRedirect: Sendable {
    var redirectURI: String
    var state: String?

    func success(code: String) -> String {
        location([("code", code)])
    }

    func error(_ error: AuthorizeError) -> String {
        location([("error", error.error), ("error_description", error.description)])
    }

    private func location(_ fields: [(String, String)]) -> String {
        var fields = fields
        if let state { fields.append(("state", state)) }
        let separator: String
        if !redirectURI.contains("?") {
            separator = "?"
        } else {
            separator = redirectURI.hasSuffix("?") || redirectURI.hasSuffix("&") ? "" : "&"
        }
        return redirectURI + separator + FormEncoding.encode(fields)
    }
}
