import Hummingbird
import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        let code = AuthorizationCode(grant: grant, redirectURI: pending.redirectURI, codeChallenge: pending.codeChallenge,
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
        ProblemPage(status: .badRequest, title: "This answer cannot be accepted", message: message, code: code,
                    hint: "Start the sign-in again from the app.")
    }
}
