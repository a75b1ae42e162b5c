import Glibc
import PDSAuth

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

    func wait() async -> Int32 { await ProcessSpawner.wait(pid) }

    func signal(_ number: Int32) { kill(pid, number) }
}
