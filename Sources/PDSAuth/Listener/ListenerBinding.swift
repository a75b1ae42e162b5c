import Glibc
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// The loopback listener of one sign-in, on the first redirect URI whose port is free (apps
/// may register several, as `--redirect-uri` may be repeated), and on every loopback
/// address its host names. `localhost` means both 127.0.0.1 and ::1, because a browser may
/// resolve it to either (RFC 8252 §8.3): both are bound, or the port counts as taken, so
/// whoever holds the other family can never receive the code. Only a machine without IPv6
/// at all is served on 127.0.0.1 alone, and `notes` says so. An IP literal is served only on
/// itself; hosts are checked to be loopback when the redirect URI is parsed.
package struct ListenerBinding: Sendable {
    /// The redirect target actually served, its port resolved when the URI said 0.
    package let target: RedirectTarget
    /// Things the user should know about how the listener is bound.
    package let notes: [String]
    let servers: [ListenerServer]
    /// One event-loop thread serves every address: the listener serves one browser, and
    /// each further thread costs start-up time and memory (SwiftNIO's shared group would
    /// start one per core). Shut down by ``stop()``.
    let eventLoops: MultiThreadedEventLoopGroup

    package static func bind(
        _ candidates: [RedirectTarget], answers: LoginAnswers, pages: LoginPages, logger: Logger,
        limits: ListenerLimits = .standard
    ) async throws(PDSAuthError) -> ListenerBinding {
        let registry = ConnectionRegistry(capacity: limits.maxConnections)
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var failures: [PDSAuthError] = []
        for candidate in candidates {
            let responder = ListenerResponder(target: candidate, answers: answers, pages: pages)
            do throws(PDSAuthError) {
                return try await bindOne(
                    candidate, responder: responder, logger: logger, configuration: limits.http1(registry: registry),
                    eventLoops: eventLoops)
            } catch {
                failures.append(error)
            }
        }
        try? await eventLoops.shutdownGracefully()
        throw failures.count == 1 ? failures[0] : noneFree(candidates, failures)
    }

    static func bindOne(
        _ candidate: RedirectTarget, responder: ListenerResponder, logger: Logger,
        configuration: HTTP1Channel.Configuration, eventLoops: MultiThreadedEventLoopGroup
    ) async throws(PDSAuthError) -> ListenerBinding {
        guard candidate.host.lowercased() == "localhost" else {
            let server = try await ListenerServer.start(
                host: candidate.host, port: candidate.port, responder: responder,
                logger: logger, configuration: configuration, eventLoopGroup: eventLoops)
            return ListenerBinding(target: candidate.bound(to: server.port), notes: [], servers: [server], eventLoops: eventLoops)
        }
        // An ephemeral port free on 127.0.0.1 may be taken on ::1: try a few.
        for _ in 0..<(candidate.port == 0 ? 5 : 1) {
            let first = try await ListenerServer.start(
                host: "127.0.0.1", port: candidate.port, responder: responder,
                logger: logger, configuration: configuration, eventLoopGroup: eventLoops)
            switch await ListenerServer.bind(
                host: "::1", port: first.port, responder: responder, logger: logger, configuration: configuration,
                eventLoopGroup: eventLoops)
            {
            case .success(let second):
                return ListenerBinding(target: candidate.bound(to: first.port), notes: [], servers: [first, second], eventLoops: eventLoops)
            case .failure(.unavailable):
                return ListenerBinding(
                    target: candidate.bound(to: first.port),
                    notes: ["This machine has no IPv6 loopback address, so localhost is served on 127.0.0.1 only."],
                    servers: [first], eventLoops: eventLoops)
            case .failure(let failure):
                await first.stop()
                if candidate.port == 0, failure == .inUse { continue }
                throw failure.error(host: "::1", port: first.port)
            }
        }
        throw PDSAuthError(.portInUse, "No port was free on both 127.0.0.1 and ::1 for localhost")
    }

    package func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.stop() } }
        }
        try? await eventLoops.shutdownGracefully()
    }

    /// The addresses served, for tests and messages.
    package var addressCount: Int { servers.count }

    static func noneFree(_ candidates: [RedirectTarget], _ failures: [PDSAuthError]) -> PDSAuthError {
        let ports = candidates.map { String($0.port) }.joined(separator: ", ")
        let reasons = failures.map(\.message).joined(separator: "; ")
        return PDSAuthError(
            .portInUse, "None of the \(candidates.count) redirect URIs could be served (ports \(ports)): \(reasons)",
            details: ["ports": ports])
    }
}

/// Bounds for an attacker-reachable port. A browser's requests to the listener are a few
/// hundred bytes and carry no body, so requests are capped tightly, and every connection is
/// bounded in time and in number (see `ConnectionGuard`).
package struct ListenerLimits: Sendable {
    /// A connection with nothing to do is closed after this.
    package var idleTimeout: Duration
    /// A connection must deliver a complete request head within this of connecting (or of
    /// its previous response): a client trickling bytes (slowloris) cannot hold it.
    package var headerDeadline: Duration
    /// No connection lives longer than this, except to finish a response in progress.
    package var connectionLifetime: Duration
    /// Open connections at most; beyond it the oldest idle one is closed to make room, so a
    /// flood of connections can never keep the real browser out.
    package var maxConnections: Int
    package var maxHeaderFieldSize: Int
    package var maxHeaderListSize: Int
    package var maxHeaderFieldCount: Int

    package static var standard: ListenerLimits {
        ListenerLimits(
            idleTimeout: .seconds(10), headerDeadline: .seconds(10), connectionLifetime: .seconds(60),
            maxConnections: defaultMaxConnections(), maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024,
            maxHeaderFieldCount: 100)
    }

    package init(
        idleTimeout: Duration, headerDeadline: Duration, connectionLifetime: Duration, maxConnections: Int,
        maxHeaderFieldSize: Int, maxHeaderListSize: Int, maxHeaderFieldCount: Int
    ) {
        self.idleTimeout = idleTimeout
        self.headerDeadline = headerDeadline
        self.connectionLifetime = connectionLifetime
        self.maxConnections = maxConnections
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderFieldCount = maxHeaderFieldCount
    }

    /// 256 (a browser opens a handful), but always well below the descriptor limit, so that
    /// accepting never fails with EMFILE (which makes SwiftNIO pause accepting for a second).
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 64 }
        let available = limit.rlim_cur == rlim_t.max ? 4096 : Int(clamping: limit.rlim_cur) - 96
        return max(8, min(256, available / 2))
    }

    func http1(registry: ConnectionRegistry) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(registry: registry, limits: self)],
            idleTimeout: TimeAmount(idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize,
                maxHeaderFieldCount: maxHeaderFieldCount))
    }
}
