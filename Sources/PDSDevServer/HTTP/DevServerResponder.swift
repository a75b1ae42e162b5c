import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Routes every request, turns refusals into PDS error bodies or problem pages, and stamps
/// each response with `x-ca-request-id` (PDS error reference: every answer has one).
struct DevServerResponder: HTTPResponder {
    typealias Context = DevServerRequestContext

    let state: DevServerState

    func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        context.requestID = UUID().uuidString
        var response = await route(request, context: context)
        response.headers.set("x-ca-request-id", context.requestID)
        return response
    }

    private func route(_ request: Request, context: Context) async -> Response {
        do {
            try checkHost(request.head.authority)
            guard let endpoint = Endpoint(rawValue: request.uri.path) else {
                throw PDSError(.notFound, "No endpoint at this path")
            }
            guard request.method == endpoint.method else {
                throw PDSError(.methodNotAllowed, "\(endpoint.rawValue) only answers \(endpoint.method.rawValue)",
                               headers: [("Allow", endpoint.method.rawValue)])
            }
            return try await dispatch(endpoint, request, context: context)
        } catch let error as PDSError {
            return JSONResponse.error(error, requestID: context.requestID)
        } catch let page as ProblemPage {
            return page.response(renderer: state.pages)
        } catch {
            state.logger.error("Unexpected failure", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONResponse.error(PDSError(.internalError, "Unexpected server error"), requestID: context.requestID)
        }
    }

    private func dispatch(_ endpoint: Endpoint, _ request: Request, context: Context) async throws -> Response {
        switch endpoint {
        case .authorize: await AuthorizeHandler(state: state).respond(to: request)
        case .decision: try await DecisionHandler(state: state).respond(to: request, context: context)
        case .token: await TokenHandler(state: state).respond(to: request, context: context)
        case .revoke: try await RevokeHandler(state: state).respond(to: request, context: context)
        case .tokenRevocation: await TokenRevocationHandler(state: state).respond(to: request, context: context)
        case .jwks: JSONResponse.ok(try await state.keys.generated().jwks)
        case .userGet, .driveList, .fileList:
            try await ResourceHandler(state: state).respond(to: request, endpoint: endpoint, context: context)
        }
    }

    /// A browser page on another site can reach a loopback server through DNS rebinding,
    /// but its requests then carry that site's name as `Host`; only loopback names are
    /// served. A request without `Host` (HTTP/1.0) is let through: a browser always sends one.
    private func checkHost(_ authority: String?) throws(PDSError) {
        guard let authority else { return }
        let host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[...close]
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? ""
        }
        guard LoopbackHost.isLoopback(String(host)) else {
            throw PDSError(.misdirected, "This server only answers requests addressed to a loopback host")
        }
    }
}
