import Glibc
import PDSAuth
import UnixSignals

/// The one place the process receives SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2.
///
/// Dispatch receives signals through signalfd(2), which only sees a signal that stays
/// pending, that is, one blocked in *every* thread; a thread with it unblocked takes it first
/// and it is lost (or, before a source is registered, it kills the process). So `block()`
/// runs first in `main`, before any other thread exists, and every thread inherits the
/// mask; the main thread then parks without unblocking them (`dispatchMain` would: it
/// sigsuspends with an empty mask). A signal that arrives before `start()` has registered
/// its sources stays pending and is delivered then: none is lost, none kills by surprise.
///
/// While a command runs `routing(_:_:)`, the signals go to its handler (login cancels and
/// unwinds; exec passes them to its program). Otherwise a signal ends the process as its
/// default action would, with status 128+N, so Ctrl-C stops every command.
/// Children get default dispositions and an empty mask (`ProcessSpawner`).
enum SignalRouter {
    static let trapped: [UnixSignal] = [.sigint, .sigterm, .sighup, .sigquit, .sigusr1, .sigusr2]
    private static let handler = LockedValue<(@Sendable (UnixSignal) -> Void)?>(nil)

    /// Blocks the trapped signals in the calling thread (and so in every thread it starts).
    static func block() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in trapped { sigaddset(&set, signal.rawValue) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Registers the signal sources and starts delivering; returns once they are registered.
    static func start() async {
        let signals = await UnixSignalsSequence(trapping: trapped)
        Task.detached {
            for await signal in signals { deliver(signal) }
        }
    }

    static func deliver(_ signal: UnixSignal) {
        guard let current = handler.value else { exit(128 + signal.rawValue) }
        current(signal)
    }

    /// Runs `body` with `handle` receiving every trapped signal.
    static func routing<T, Failure: Error>(_ handle: @escaping @Sendable (UnixSignal) -> Void,
                                           _ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        handler.set(handle)
        defer { handler.set(nil) }
        return try await body()
    }

    /// Parks the main thread for good, signals still blocked: the work runs in tasks.
    static func park() -> Never {
        while true { pause() }
    }
}
