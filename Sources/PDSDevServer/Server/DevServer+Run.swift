import Hummingbird
import Logging
import ServiceLifecycle

extension DevServer {
    /// Listens until the calling task is cancelled, then stops accepting connections,
    /// lets requests in flight finish, and returns. Calls `onListening` once with the base
    /// URL (e.g. `http://127.0.0.1:54321`) after the socket is bound, so port 0 works.
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        // Named, not described by interpolation (a reflection over the whole application).
        let service = ServiceGroupConfiguration.ServiceConfiguration(service: makeApplication(onListening: onListening),
                                                                     serviceName: "PDS dev server")
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        // The group runs in its own task so that cancelling ours becomes a graceful shutdown
        // instead of an immediate cancellation of every connection.
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    func makeApplication(onListening: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let host = configuration.host
        let configuredPort = configuration.port
        let issuer = state.issuer
        let logger = logger
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(LoopbackHost.bindAddress(host), port: configuredPort)),
            onServerRunning: { channel in
                let url = DevServer.baseURL(host: host, port: channel.localAddress?.port ?? configuredPort)
                issuer.set(url)
                logger.info("PDS dev server listening", metadata: ["url": "\(url)"])
                await onListening(url)
            },
            logger: logger
        )
    }

    /// Starts a server for `configuration` (tests pass port 0), runs `body` with it and its
    /// base URL, then shuts it down and returns what `body` returned.
    public static func withRunning<T: Sendable>(
        _ configuration: DevServerConfiguration,
        logger: Logger = Logger(label: "pds-dev-server"),
        _ body: (DevServer, String) async throws -> T
    ) async throws -> T {
        try await DevServer(configuration: configuration, logger: logger).withRunning(body)
    }

    /// Runs this server around `body`.
    func withRunning<T: Sendable>(_ body: (DevServer, String) async throws -> T) async throws -> T {
        // Stopped, the server gives its state directory up at once, whoever still holds it.
        defer { stateFile?.release() }
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await self.run { continuation.yield($0) }
            }
            var iterator = urls.makeAsyncIterator()
            guard let url = await iterator.next() else {
                // The server ended before listening: report why (its error, if it threw).
                try await group.waitForAll()
                throw DevServerError.stoppedBeforeListening
            }
            do {
                let value = try await body(self, url)
                group.cancelAll()
                try await group.waitForAll()
                return value
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
