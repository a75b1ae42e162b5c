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
            throw ProblemPage(status: .badRequest, title: "This sign-in request cannot be answered",
                              message: "The query string is not valid percent-encoded UTF-8.", code: "invalid_request")
        }
        let (app, redirectURI) = try AuthorizeRequest.trustedTarget(fields, apps: state.apps,
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
        let pending = PendingAuthorization(app: app, redirectURI: redirect.redirectURI, state: redirect.state, scopes: scopes,
                                           codeChallenge: challenge, expiresAt: now.addingTimeInterval(Double(lifetime)))
        let id = await state.pending.add(pending, now: now)
        let page = ConsentPage(pending: pending, pendingID: id, domainID: state.configuration.domainID,
                               users: await state.users.all(), expiresIn: lifetime)
        return page.response(renderer: state.pages)
    }
}
