import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Runs a Hummingbird server on one loopback address until `stop()`, which shuts it down
/// gracefully: responses already being written (the result page) are completed first.
public final class ListenerServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Binds `host:port` (0 = any free port) and returns once the socket listens, or throws
    /// a `listenerUnavailable` error naming the address when it cannot bind.
    public static func start<Responder: HTTPResponder>(host: String, port: Int, responder: Responder, logger: Logger,
                                                       limits: ListenerLimits = .standard) async throws(PDSAuthError) -> ListenerServer
    where Responder.Context == BasicRequestContext {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            server: .http1(configuration: limits.http1),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? port)
                boundContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        for await actual in bound {
            return ListenerServer(port: actual, group: group, task: task)
        }
        // The stream ended without a port: the server failed to bind.
        let reason: String
        do {
            try await task.value
            reason = "it stopped before listening"
        } catch {
            reason = String(describing: error)
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        throw PDSAuthError(.listenerUnavailable, code: reason.contains("in use") ? "port_in_use" : "listen_failed",
                           "Cannot listen on \(shownHost):\(port): \(reason.contains("in use") ? "the port is already in use" : reason)",
                           hint: "Stop whatever uses port \(port), or pass another --redirect-uri; it must match a redirect URI registered on the app, port included.",
                           context: ["address": "\(shownHost):\(port)"])
    }

    /// Graceful shutdown, so the result page being written is delivered; after `grace`,
    /// connections still open (a client that never finishes its request) are cut, so
    /// stopping cannot hang. Returns when the server has stopped.
    public func stop(grace: Duration = .seconds(2)) async {
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
