import Glibc
import HummingbirdCore
import Hummingbird
import Logging
import NIOCore
import NIOPosix
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
    package static func start<Responder: HTTPResponder>(host: String, port: Int, responder: Responder, logger: Logger,
                                                       configuration: HTTP1Channel.Configuration = .init(),
                                                       eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
    async throws(PDSAuthError) -> ListenerServer
    where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        switch await bind(host: host, port: port, responder: responder, logger: logger, configuration: configuration,
                          eventLoopGroup: eventLoopGroup) {
        case .success(let server): return server
        case .failure(let failure): throw failure.error(host: host, port: port)
        }
    }

    static func bind<Responder: HTTPResponder>(host: String, port: Int, responder: Responder, logger: Logger,
                                               configuration: HTTP1Channel.Configuration,
                                               eventLoopGroup: any EventLoopGroup) async -> Result<ListenerServer, BindFailure>
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
        if text.contains("errno: \(EADDRINUSE))") { self = .inUse }
        else if text.contains("errno: \(EADDRNOTAVAIL))") || text.contains("errno: \(EAFNOSUPPORT))") { self = .unavailable }
        else { self = .other(text) }
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
            return PDSAuthError(.listenFailed, "Cannot listen on \(address): \(Redaction.terminalSafe(reason, limit: 200))", details: ["address": address])
        }
    }
}
