import Glibc
import PDSAuth
import UnixSignals

/// The one place the process receives SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2,
/// except those it was started with ignored (`InheritedSignals`: `nohup`, background jobs),
/// which stay ignored.
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
/// default action would (`terminate(by:)`), so Ctrl-C stops every command.
/// Children get default dispositions and an empty mask (`ProcessSpawner`).
enum SignalRouter {
    static let trapped: [UnixSignal] = [UnixSignal.sighup, .sigint, .sigquit, .sigterm, .sigusr1, .sigusr2]
        .filter { !InheritedSignals.ignored.contains($0.rawValue) }
    private static let handler = LockedValue<(@Sendable (UnixSignal) -> Void)?>(nil)

    /// Blocks the trapped signals in the calling thread (and so in every thread it starts).
    /// Its first use of `trapped` reads `InheritedSignals`, before any thread exists.
    static func block() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in trapped { sigaddset(&set, signal.rawValue) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Registers the signal sources and starts delivering; returns once they are registered.
    static func start() async {
        guard !trapped.isEmpty else { return }
        let signals = await UnixSignalsSequence(trapping: trapped)
        Task.detached {
            for await signal in signals { deliver(signal) }
        }
    }

    static func deliver(_ signal: UnixSignal) {
        guard let current = handler.value else { terminate(by: signal.rawValue) }
        current(signal)
    }

    /// Runs `body` with `handle` receiving every trapped signal, then gives them back to
    /// whoever had them before.
    static func routing<T, Failure: Error>(
        _ handle: @escaping @Sendable (UnixSignal) -> Void,
        _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        let previous = handler.update { current in
            defer { current = handle }
            return current
        }
        defer { handler.set(previous) }
        return try await body()
    }

    /// Ends the process by `number` once pds-auth has done its part (listener closed, message
    /// printed): it dies of the signal rather than exiting 128+N, so a shell both reports
    /// 128+N and knows it was interrupted. That matters: bash stops a `while` loop or a
    /// script only when its child *died* of SIGINT, so a loop calling pds-auth stops on
    /// Ctrl-C as it would for any other program. Terminal echo is put back (Ctrl-C at the
    /// client-secret prompt), and no core is dumped (SIGQUIT's default would dump one, with
    /// tokens in it). No stdio flush: pds-auth writes with write(2) (`CommandIO`),
    /// and `fflush(NULL)` would wait forever for stdin's lock, which a thread blocked in
    /// `readLine` at the prompt holds.
    static func terminate(by number: Int32) -> Never {
        Terminal.restoreEcho()
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        // Every other thread keeps it blocked, so raising it here delivers it here, at once.
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }

    /// Parks the main thread for good, signals still blocked: the work runs in tasks.
    static func park() -> Never {
        while true { pause() }
    }
}
