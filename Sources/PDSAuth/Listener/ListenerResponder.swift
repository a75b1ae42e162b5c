import Hummingbird

/// The loopback listener's only logic: the start page on `/`, the callback on the
/// redirect URI's path, an escaped 404 page for anything else (favicon, preconnects, probes)
/// while the flow keeps waiting. Only GET and HEAD, and only requests addressed to our own
/// loopback host and port (a DNS-rebinding page cannot talk to us under another name).
public struct ListenerResponder: HTTPResponder {
    public typealias Context = BasicRequestContext

    let target: RedirectTarget
    let pages: PageRenderer
    let session: LoginSession

    public func respond(to request: Request, context: Context) async throws -> Response {
        let head = request.method == .head
        guard request.method == .get || head else {
            return page(.methodNotAllowed, notFound(title: "Method not allowed"), head)
        }
        guard hostIsOurs(request.head.authority) else {
            return page(.misdirectedRequest, notFound(title: "Wrong host"), head)
        }
        let path = request.uri.path
        let query = request.uri.query ?? ""
        if path == target.path, !query.isEmpty {
            guard let parameters = CallbackParameters(query: query) else {
                return page(.uriTooLong, notFound(title: "Request too long"), head)
            }
            if parameters.isRedirect {
                let (status, html) = await session.handleCallback(parameters)
                return page(status, html, head)
            }
        }
        if path == "/" || path == target.path, let start = session.startPage() {
            return page(.ok, start, head)
        }
        return page(.notFound, notFound(title: "Not found"), head)
    }

    private func page(_ status: HTTPResponse.Status, _ html: String, _ head: Bool) -> Response {
        PageResponse.html(status, html, csp: pages.contentSecurityPolicy, includeBody: !head)
    }

    private func notFound(title: String) -> String {
        pages.problem(PDSAuthError(.failure, code: "not_found", "pds-auth serves only its sign-in page here.",
                                   hint: "Return to the sign-in page or the terminal."), title: title)
    }

    /// `Host` must name this listener: its loopback address or `localhost`, with our port.
    func hostIsOurs(_ authority: String?) -> Bool {
        guard let authority else { return false }
        let bound = session.boundPort
        let allowed = ["127.0.0.1", "localhost", "[::1]", target.host.contains(":") ? "[\(target.host)]" : target.host]
        return allowed.contains { authority.lowercased() == "\($0):\(bound)" || (bound == 80 && authority.lowercased() == $0) }
    }
}
