import Glibc
import PDSAuth
import UnixSignals

/// A program `pds-auth exec` runs: sharing our terminal and standard streams, started as
/// `ProcessSpawner` starts every child (default signal handling, no other descriptor).
struct ChildProcess {
    let pid: pid_t

    /// Starts `argv` with `environment`; on failure, the shell's status for it (127: not
    /// found, 126: found but not runnable) and why.
    static func spawn(_ argv: [String], environment: [String: String]) -> Result<ChildProcess, SpawnFailure> {
        switch ProcessSpawner.spawn(argv, environment: environment) {
        case .success(let pid): return .success(ChildProcess(pid: pid))
        case .failure(let error): return .failure(SpawnFailure(status: error.number == ENOENT ? 127 : 126, reason: error.description))
        }
    }

    struct SpawnFailure: Error {
        var status: Int32
        var reason: String
    }

    /// Returns when the program has ended, before reaping it (see `ProcessSpawner`).
    func waitUntilEnded() async { await ProcessSpawner.waitUntilEnded(pid) }

    /// Reaps the program and returns its status as a shell reports it.
    func wait() async -> Int32 { await ProcessSpawner.wait(pid) }

    func signal(_ number: Int32) { kill(pid, number) }
}

/// The signals `exec` receives while its program runs: passed on to the program (see
/// `ExecCommand.shouldForward`); one that arrives before the program exists is kept, to end
/// `exec` before starting it or to be passed on as soon as it has started.
final class ChildSignals: Sendable {
    private let state = LockedValue<(child: ChildProcess?, early: UnixSignal?)>((nil, nil))

    func receive(_ signal: UnixSignal) {
        let child = state.update { state -> ChildProcess? in
            if state.child == nil, state.early == nil { state.early = signal }
            return state.child
        }
        if let child, ExecCommand.shouldForward(signal) { child.signal(signal.rawValue) }
    }

    var early: UnixSignal? { state.value.early }

    /// Records the running program; returns a signal that arrived before it.
    func started(_ child: ChildProcess) -> UnixSignal? {
        state.update { state in
            state.child = child
            return state.early
        }
    }

    /// The program has ended: it is about to be reaped, and then its pid may be reused, so
    /// nothing is passed on from now on.
    func ended() {
        state.update { $0.child = nil }
    }
}
