import Synchronization

/// The base URL the server is reachable at, used as the `iss` of its access tokens. It is
/// only known once the socket is bound (port 0 picks a free port), after the router exists.
final class IssuerURL: Sendable {
    private let value: Mutex<String>

    init(_ initial: String) {
        value = Mutex(initial)
    }

    var current: String {
        value.withLock { $0 }
    }

    func set(_ url: String) {
        value.withLock { $0 = url }
    }
}
