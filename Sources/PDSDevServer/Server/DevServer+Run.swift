import Hummingbird
import Logging
import ServiceLifecycle

extension DevServer {
    /// Listens until the calling task is cancelled, then stops accepting connections,
    /// lets requests in flight finish, and returns. Calls `onListening` once with the base
    /// URL (e.g. `http://127.0.0.1:54321`) after the socket is bound, so port 0 works.
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        // Named, not described by interpolation (a reflection over the whole application).
        let service = ServiceGroupConfiguration.ServiceConfiguration(
            service: makeApplication(onListening: onListening),
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

extension DevServer {
    /// The start-up summary: where the endpoints are, the `domain_id` rule, each app's
    /// credentials and redirect URIs, and the users. Client secrets are printed on purpose:
    /// they are throw-away development secrets the developer needs to configure `pds-auth`.
    public func summary(baseURL: String) -> String {
        var lines = [
            "PDS dev server (development and tests only) at \(baseURL)",
            "  domain id:  \(configuration.domainID)",
            "  domain_id:  \(domainIDRule)",
            "  authorize:  \(baseURL)\(Endpoint.authorize.rawValue)",
            "  token:      \(baseURL)\(Endpoint.token.rawValue)",
            "  revoke:     \(baseURL)\(Endpoint.revoke.rawValue)",
            "  RFC 7009:   \(baseURL)\(Endpoint.tokenRevocation.rawValue)  (generic OAuth revocation, not a PDS API)",
            "  JWKS:       \(baseURL)\(Endpoint.jwks.rawValue)",
            "  state:      "
                + (configuration.stateDirectory.map { "kept in \($0) (keys, client secrets, issued tokens)" }
                    ?? "in memory only: nothing is kept when it stops"),
            "Resource APIs (POST, JSON body, Authorization: Bearer <access token>):",
        ]
        for endpoint in [Endpoint.userGet, .driveList, .fileList] {
            lines.append("  \(baseURL)\(endpoint.rawValue)")
        }
        lines.append("Apps:")
        for app in configuration.apps {
            lines.append("  \(app.name) [\(app.kindDescription)]")
            lines.append("    client id:     \(app.clientID)")
            lines.append("    client secret: \(app.clientSecret ?? "(none: public client, PKCE required)")")
            for uri in app.redirectURIs {
                lines.append("    redirect URI:  \(uri)")
            }
            if app.usesJWTBearer {
                let source = app.jwtPublicKeyPEM == nil ? "generated at start" : "as configured"
                lines.append("    JWT key:       RS256, public key \(source)")
            }
        }
        lines.append("Users:")
        for (index, user) in configuration.users.enumerated() {
            let mark = index == 0 ? "  (default)" : ""
            lines.append("  \(user.userName)  id \(user.userID), role \(user.role), drive \(user.defaultDriveID)\(mark)")
        }
        return lines.joined(separator: "\n")
    }

    /// How the server treats `domain_id` (PDS Authorize and Token APIs, 2026 revision).
    private var domainIDRule: String {
        configuration.requiresDomainID
            ? "required on authorize and token requests, must be \(configuration.domainID)"
            : "optional on authorize and token requests (older PDS API); if sent, must be \(configuration.domainID)"
    }
}
