import Glibc
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import PDSShared
import ServiceLifecycle

/// Runs a Hummingbird server on one loopback address until `stop()`, which shuts it down
/// gracefully: responses already being written (the result page) are completed first.
package final class ListenerServer: Sendable {
    package let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Why an address could not be bound.
    enum BindFailure: Error, Sendable, Equatable {
        /// Someone else holds the address and port (EADDRINUSE).
        case inUse
        /// This machine has no such address (EADDRNOTAVAIL, EAFNOSUPPORT: no IPv6 at all).
        case unavailable
        case other(String)
        /// The sign-in was cancelled while binding; the server was stopped.
        case cancelled
    }

    /// Binds `host:port` (0 = any free port) and returns once the socket listens, or throws
    /// an error naming the address. The server's connections run on `eventLoopGroup`.
    package static func start<Responder: HTTPResponder>(
        host: String, port: Int, responder: Responder, logger: Logger,
        configuration: HTTP1Channel.Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    )
        async throws(PDSAuthError) -> ListenerServer
    where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        switch await bind(
            host: host, port: port, responder: responder, logger: logger, configuration: configuration,
            eventLoopGroup: eventLoopGroup)
        {
        case .success(let server): return server
        case .failure(let failure): throw failure.error(host: host, port: port)
        }
    }

    static func bind<Responder: HTTPResponder>(
        host: String, port: Int, responder: Responder, logger: Logger,
        configuration: HTTP1Channel.Configuration,
        eventLoopGroup: any EventLoopGroup
    ) async -> Result<ListenerServer, BindFailure>
    where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            server: .http1(configuration: configuration),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: 1024, reuseAddress: true),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? port)
                boundContinuation.finish()
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger)
        // Named: otherwise the group names the service by interpolating it, which reflects over
        // the whole application (about a tenth of `login`'s start-up) to make a Swift dump.
        let service = ServiceGroupConfiguration.ServiceConfiguration(service: app, serviceName: "pds-auth listener")
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        // The server runs in a task of its own, which our cancellation does not reach: pass
        // it on, or a Ctrl-C while binding would leave the server running and this waiting.
        return await withTaskCancellationHandler {
            for await actual in bound where !Task.isCancelled {
                return .success(ListenerServer(port: actual, group: group, task: task))
            }
            // The stream ended without a port: the server failed to bind, or we were cancelled.
            do {
                try await task.value
                return .failure(Task.isCancelled ? .cancelled : .other("it stopped before listening"))
            } catch {
                return .failure(Task.isCancelled ? .cancelled : BindFailure(error))
            }
        } onCancel: {
            task.cancel()
        }
    }

    /// Graceful shutdown, so the result page being written is delivered; after `grace`,
    /// connections still open (a client that never finishes its request) are cut, so
    /// stopping cannot hang. Returns when the server has stopped.
    package func stop(grace: Duration = .seconds(2)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: grace)
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
    }
}

extension ListenerServer {
    /// The catalogued error for a server that failed to bind `host:port` (the dev server's,
    /// say): NIO's own description names internals no user should have to read.
    package static func bindError(_ error: any Error, host: String, port: Int) -> PDSAuthError {
        BindFailure(error).error(host: host, port: port)
    }
}

extension ListenerServer.BindFailure {
    /// Classifies the error SwiftNIO reports for bind(2): an `IOError` carrying errno, or
    /// (when a service group wrapped it) its description, which names the errno.
    init(_ error: any Error) {
        if let io = error as? IOError {
            self = Self(errno: io.errnoCode, description: String(describing: io))
            return
        }
        let text = String(describing: error)
        if text.contains("errno: \(EADDRINUSE))") {
            self = .inUse
        } else if text.contains("errno: \(EADDRNOTAVAIL))") || text.contains("errno: \(EAFNOSUPPORT))") {
            self = .unavailable
        } else {
            self = .other(text)
        }
    }

    init(errno: Int32, description: String) {
        switch errno {
        case EADDRINUSE: self = .inUse
        case EADDRNOTAVAIL, EAFNOSUPPORT: self = .unavailable
        default: self = .other(description)
        }
    }

    func error(host: String, port: Int) -> PDSAuthError {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        switch self {
        case .inUse:
            return PDSAuthError(.portInUse, "Cannot listen on \(address): another program holds it", details: ["address": address])
        case .unavailable:
            return PDSAuthError(.listenFailed, "Cannot listen on \(address): this machine has no such address", details: ["address": address])
        case .cancelled:
            return PDSAuthError(.cancelled, "Interrupted while starting to listen on \(address)", details: ["address": address])
        case .other(let reason):
            return PDSAuthError(
                .listenFailed, "Cannot listen on \(address): \(Redaction.terminalSafe(reason, limit: 200))", details: ["address": address])
        }
    }
}

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

/// The listener's per-request context: Hummingbird's core storage plus the port the
/// connection arrived on, so the `Host` check compares against the port actually bound
/// (known only once the socket is bound, possibly to an ephemeral port).
package struct ListenerRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package let localPort: Int?

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        localPort = source.channel.localAddress?.port
    }
}
