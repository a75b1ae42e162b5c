import ArgumentParser
import Glibc
import PDSAuth
import UnixSignals

/// How every command runs its work: errors are reported the standard way (what happened,
/// then what to do) and become the documented exit status; with `cancellable`, SIGINT and
/// SIGTERM cancel the work so it unwinds (listener closed, nothing half-written) and the
/// process exits 130 / 143 as a shell expects.
enum CommandRunner {
    static func run(_ terminal: Terminal, _ body: () async throws(PDSAuthError) -> Void) async throws {
        do {
            try await body()
        } catch {
            terminal.report(error)
            throw ExitCode(exitStatus(for: error).rawValue)
        }
    }

    static func exitStatus(for error: PDSAuthError) -> ExitStatus {
        if error.code == .cancelled { return error.context["signal"] == "SIGTERM" ? .terminated : .interrupted }
        return ExitStatus(error.code)
    }

    /// Runs `work` in a task that SIGINT/SIGTERM cancel.
    static func cancellable<T: Sendable>(_ work: @escaping @Sendable () async throws(PDSAuthError) -> T) async throws(PDSAuthError) -> T {
        // A parent may hand us these signals blocked (the mask survives exec): unblock them
        // so Ctrl-C and `kill` always reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let task = Task { () throws(PDSAuthError) -> T in try await work() }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let received = LockedValue<String?>(nil)
        let watcher = Task {
            for await signal in signals {
                received.set(signal == .sigterm ? "SIGTERM" : "SIGINT")
                task.cancel()
                break
            }
        }
        let result = await task.result
        watcher.cancel()
        if let signal = received.value {
            throw PDSAuthError(.cancelled, "Interrupted; nothing was saved and the listener was closed", context: ["signal": signal])
        }
        switch result {
        case .success(let value): return value
        case .failure(let error as PDSAuthError): throw error
        case .failure(let error): throw PDSAuthError(.internal, "Unexpected failure: \(error)")
        }
    }
}
