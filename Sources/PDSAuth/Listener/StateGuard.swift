import Synchronization

/// The expected `state` of one authorization request (RFC 6749 §10.12): compared in
/// constant time and accepted at most once, so a replayed redirect is refused.
public final class StateGuard: Sendable {
    public enum Verdict: Sendable, Equatable { case accepted, missing, mismatch, alreadyUsed }

    private let expected: String
    private let used = Mutex(false)

    public init(expected: String) { self.expected = expected }

    public func consume(_ received: String?) -> Verdict {
        guard let received, !received.isEmpty else { return .missing }
        guard ConstantTime.equals(received, expected) else { return .mismatch }
        return markUsed()
    }

    /// Spends the state for an answer that arrived without one through a channel no web
    /// page can reach (a code typed into this process's terminal); still single use.
    public func consumeWithoutState() -> Verdict { markUsed() }

    private func markUsed() -> Verdict {
        used.withLock { used in
            if used { return .alreadyUsed }
            used = true
            return .accepted
        }
    }
}
