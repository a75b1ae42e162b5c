import Hummingbird
import Logging
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The per-request context: Hummingbird's core storage, a 64 KiB body bound, and a way to
/// drop the connection for the `dropConnection` fault.
struct DevServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the TCP connection without an answer, as a crashing server or a broken proxy
    /// would.
    let dropConnection: @Sendable () -> Void
    /// Sent as `x-ca-request-id` and as `requestId` in error bodies (PDS error reference);
    /// set by ``RequestIDMiddleware`` before anything else.
    var requestID = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        let channel = source.channel
        dropConnection = { channel.close(promise: nil) }
    }

    var maxUploadSize: Int { 64 * 1024 }
}

// The middleware every request passes, outermost first (the order is set by `DevServer.router`).

/// Gives each request the id PDS puts on every answer: the `x-ca-request-id` header and, in
/// an error body, `requestId` (PDS error reference). Outermost, so a request refused by any
/// later middleware has one too; ``ErrorMiddleware`` below it turns every failure into a
/// response, so each answer passes back through here.
struct RequestIDMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: DevServerRequestContext,
        next: (Request, DevServerRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = UUID().uuidString
        var response = try await next(request, context)
        response.headers.set("x-ca-request-id", context.requestID)
        return response
    }
}

/// Renders what the middleware and handlers throw, in one place: a ``PDSError`` or
/// ``OAuthError`` as its JSON body (their `HTTPResponseError` conformance), a
/// ``ProblemPage`` as a page for the person in the browser, anything else as a logged
/// 500 `InternalError` that shows no Swift dump.
struct ErrorMiddleware: RouterMiddleware {
    let pages: PageRenderer
    let logger: Logger

    func handle(
        _ request: Request, context: DevServerRequestContext,
        next: (Request, DevServerRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let page as ProblemPage {
            return page.response(renderer: pages)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        } catch {
            logger.error("Unexpected failure", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try PDSError(.internalError, "Unexpected server error").response(from: request, context: context)
        }
    }
}

/// A browser page on another site can reach a loopback server through DNS rebinding, but
/// its requests then carry that site's name as `Host`; only loopback names are served
/// (421 `MisdirectedRequest`). A request without `Host` (HTTP/1.0) is let through: a
/// browser always sends one.
struct HostCheckMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: DevServerRequestContext,
        next: (Request, DevServerRequestContext) async throws -> Response
    ) async throws -> Response {
        if let authority = request.head.authority, !LoopbackHost.isLoopback(Self.host(of: authority)) {
            throw PDSError(.misdirected, "This server only answers requests addressed to a loopback host")
        }
        return try await next(request, context)
    }

    /// The host of `host[:port]` or `[v6][:port]`, brackets kept.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}

/// Only the exact paths of ``Endpoint``, each with its one method: any other path is a PDS
/// 404 `NotFound`, another method a 405 `MethodNotAllowed` with `Allow` (RFC 9110 §15.5.6).
/// Checked here rather than left to the router, whose trie also takes `/v2/oauth/token/`
/// or `//v2/oauth/token` and answers a known path's other methods with a bare 404.
struct EndpointMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: DevServerRequestContext,
        next: (Request, DevServerRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let endpoint = Endpoint(rawValue: request.uri.path) else {
            throw PDSError(.notFound, "No endpoint at this path")
        }
        guard request.method == endpoint.method else {
            throw PDSError(
                .methodNotAllowed, "\(endpoint.rawValue) only answers \(endpoint.method.rawValue)",
                headers: [("Allow", endpoint.method.rawValue)])
        }
        return try await next(request, context)
    }
}
