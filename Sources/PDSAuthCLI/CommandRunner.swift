import ArgumentParser
import Glibc
import PDSAuth

/// How every command runs its work: errors are reported the standard way (what happened,
/// then what to do) and become the documented exit status; with `cancellable`, SIGINT and
/// SIGTERM cancel the work so it unwinds (listener closed, nothing half-written), and then
/// the process dies of that signal, which a shell reports as 130 / 143 (see
/// `SignalRouter.terminate(by:)` for why it is not a plain exit).
enum CommandRunner {
    static func run(_ terminal: Terminal, _ body: () async throws(PDSAuthError) -> Void) async throws {
        do {
            try await body()
        } catch {
            terminal.report(error)
            if error.code == .cancelled, let signal = error.signal {
                SignalRouter.terminate(by: signal == SIGTERM ? SIGTERM : SIGINT)
            }
            throw ExitCode(exitStatus(for: error).rawValue)
        }
    }

    static func exitStatus(for error: PDSAuthError) -> ExitStatus {
        if error.code == .cancelled { return error.signal == SIGTERM ? .terminated : .interrupted }
        return ExitStatus(error.code)
    }

    /// Runs `work` in a task that SIGINT/SIGTERM cancel (other signals end the process as
    /// usual, see `SignalRouter`). Unwinding gets `unwindLimit`; a second signal, or a work
    /// that has not unwound by then, ends the process at once: Ctrl-C always stops us.
    /// `unwound` says what the interruption left behind.
    static func cancellable<T: Sendable>(unwindLimit: Duration = .seconds(5), unwound: String = "nothing was saved and the listener was closed",
                                         _ work: @escaping @Sendable () async throws(PDSAuthError) -> T) async throws(PDSAuthError) -> T {
        let task = Task { () throws(PDSAuthError) -> T in try await work() }
        let received = LockedValue<Int32?>(nil)
        let result = await SignalRouter.routing({ signal in
            let number = signal == .sigterm ? SIGTERM : SIGINT
            let first = received.update { received -> Bool in
                guard received == nil else { return false }
                received = number
                return true
            }
            guard first, signal == .sigint || signal == .sigterm else { SignalRouter.terminate(by: signal.rawValue) }
            task.cancel()
            Task.detached {
                try? await Task.sleep(for: unwindLimit)
                SignalRouter.terminate(by: signal.rawValue)
            }
        }) { await task.result }
        // Work that finished despite the signal (it came as the credentials were saved) is
        // done: saying "nothing was saved" would be false.
        if case .success(let value) = result { return value }
        if let signal = received.value {
            throw PDSAuthError(.cancelled, "Interrupted; \(unwound)", signal: signal)
        }
        switch result {
        case .success(let value): return value
        case .failure(let error as PDSAuthError): throw error
        case .failure(let error): throw PDSAuthError(.internal, "Unexpected failure: \(error)")
        }
    }
}
