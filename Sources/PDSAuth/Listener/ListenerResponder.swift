import Hummingbird
import PDSShared

/// The loopback listener's routing, and nothing more: the start page on `/`, the provider's
/// redirect on the redirect URI's path, an escaped 404 page for anything else (favicon,
/// preconnects, probes). Only GET and HEAD, and only requests addressed to our own loopback
/// host and port (a DNS-rebinding page cannot talk to us under another name). What a
/// request *means* is decided by `LoginFlow`, through `LoginAnswers`.
package struct ListenerResponder: HTTPResponder {
    package typealias Context = ListenerRequestContext

    let target: RedirectTarget
    let answers: LoginAnswers
    let pages: LoginPages

    package init(target: RedirectTarget, answers: LoginAnswers, pages: LoginPages) {
        self.target = target
        self.answers = answers
        self.pages = pages
    }

    package func respond(to request: Request, context: Context) async throws -> Response {
        try await PageSecurityMiddleware<Context>(defaultPolicy: pages.policy).handle(request, context: context) { request, context in
            await route(request, localPort: context.localPort ?? 80)
        }
    }

    func route(_ request: Request, localPort: Int) async -> Response {
        let head = request.method == .head
        guard request.method == .get || head else { return pages.methodNotAllowed() }
        guard hostIsOurs(request.head.authority, port: localPort) else { return pages.misdirected(head: head) }
        let path = request.uri.path
        let query = request.uri.query ?? ""
        if path == target.path, !query.isEmpty {
            guard let parameters = CallbackParameters(query: query) else { return pages.tooLong(head: head) }
            if parameters.isRedirect { return pages.response(await answers.submit(.redirect(parameters)), head: head) }
        }
        if path == "/" || path == target.path {
            return pages.response(await answers.submit(.startPage(key: Self.startKey(in: query))), head: head)
        }
        return pages.notFound(head: head)
    }

    /// The start-page key from the query, if the query is of a sane size and has one.
    static func startKey(in query: String) -> String? {
        guard !query.isEmpty, query.utf8.count <= CallbackParameters.maxQueryLength else { return nil }
        return FormEncoding.decode(query).first { $0.0 == LoginFlow.startKeyParameter }?.1
    }

    /// `Host` must name this listener: a loopback name and the port we are bound to.
    func hostIsOurs(_ authority: String?, port: Int) -> Bool {
        guard let authority = authority?.lowercased() else { return false }
        let names = ["127.0.0.1", "localhost", "[::1]", target.host.contains(":") ? "[\(target.host)]" : target.host.lowercased()]
        return names.contains { authority == "\($0):\(port)" || (port == 80 && authority == $0) }
    }
}
