#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import PDSAuth

/// Turns SIGINT/SIGTERM into Task cancellation so the flow unwinds (listener closed, nothing
/// half-written) and the process then exits 130 / 143 like a shell expects.
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]
    private let received = LockedValue<Int32?>(nil)

    init(onSignal: @escaping @Sendable () -> Void) {
        var sources: [any DispatchSourceSignal] = []
        let received = self.received
        // A parent may hand us these signals blocked (the mask survives exec); unblock them
        // so Ctrl-C and `kill` always reach the trap.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                received.set(number)
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// The exit status for the signal that arrived, if one did.
    var exitStatus: ExitStatus? {
        switch received.value {
        case SIGINT: .interrupted
        case SIGTERM: .terminated
        default: nil
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}
