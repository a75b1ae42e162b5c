import Logging

/// The loopback listener of one sign-in, on the first redirect URI whose port is free (users
/// may register several in advance, as `--redirect-uri` may be repeated), and on every
/// loopback address its host names: `localhost` is served on 127.0.0.1 and ::1, because a
/// browser may resolve it to either (RFC 8252 §8.3); an IP literal only on itself. Hosts are
/// checked to be loopback when the redirect URI is parsed, so nothing else is ever bound.
public struct ListenerBinding: Sendable {
    /// The redirect target actually served, its port resolved when the URI said 0.
    public let target: RedirectTarget
    let servers: [ListenerServer]

    public static func bind(_ candidates: [RedirectTarget], session: LoginSession, pages: PageRenderer,
                            logger: Logger, limits: ListenerLimits = .standard) async throws(PDSAuthError) -> ListenerBinding {
        var failures: [PDSAuthError] = []
        for candidate in candidates {
            do {
                let binding = try await bind(candidate, session: session, pages: pages, logger: logger, limits: limits)
                session.setBoundPort(binding.target.port)
                return binding
            } catch {
                failures.append(error)
            }
        }
        throw failures.count == 1 ? failures[0] : noneFree(candidates, failures)
    }

    static func bind(_ candidate: RedirectTarget, session: LoginSession, pages: PageRenderer,
                     logger: Logger, limits: ListenerLimits) async throws(PDSAuthError) -> ListenerBinding {
        let responder = ListenerResponder(target: candidate, pages: pages, session: session)
        let addresses = addresses(for: candidate.host)
        let first = try await ListenerServer.start(host: addresses[0], port: candidate.port, responder: responder,
                                                   logger: logger, limits: limits)
        var servers = [first]
        for address in addresses.dropFirst() {
            // Best effort: a machine without IPv6 loopback still signs in over 127.0.0.1.
            do {
                servers.append(try await ListenerServer.start(host: address, port: first.port, responder: responder,
                                                              logger: logger, limits: limits))
            } catch {
                logger.notice("Not listening on [\(address)]:\(first.port): \(error.message)")
            }
        }
        var bound = candidate
        bound.port = first.port
        return ListenerBinding(target: bound, servers: servers)
    }

    /// The addresses a redirect host names on this machine.
    static func addresses(for host: String) -> [String] {
        host.lowercased() == "localhost" ? ["127.0.0.1", "::1"] : [host]
    }

    /// Every address, in the order bound (for status messages and tests).
    public var addressCount: Int { servers.count }

    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.stop() } }
        }
    }

    static func noneFree(_ candidates: [RedirectTarget], _ failures: [PDSAuthError]) -> PDSAuthError {
        let ports = candidates.map { String($0.port) }.joined(separator: ", ")
        let reasons = failures.map(\.message).joined(separator: "; ")
        return PDSAuthError(.listenerUnavailable, code: "port_in_use",
                            "None of the \(candidates.count) redirect URIs could be served (ports \(ports)): \(reasons)",
                            hint: "Free one of these ports, or pass a --redirect-uri whose port is free; it must match a redirect URI registered on the app, port included.",
                            context: ["ports": ports])
    }
}
