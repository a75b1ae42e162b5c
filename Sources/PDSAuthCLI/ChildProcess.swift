import Glibc
import PDSAuth

/// A program `pds-auth exec` runs: started with posix_spawnp (searching PATH), sharing our
/// terminal and standard streams, with default signal dispositions and an empty signal
/// mask (ours ignore and block what the signal handling needs), and no other descriptor.
struct ChildProcess {
    let pid: pid_t

    /// Starts `argv` with `environment`; on failure, the shell's status for it (127: not
    /// found, 126: found but not executable) and why.
    static func spawn(_ argv: [String], environment: [String: String]) -> Result<ChildProcess, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        _ = spawnCloseFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        // posix_spawnp searches the PATH of the environment given to it.
        var pid: pid_t = 0
        let result = withPATH(environment["PATH"]) { posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment) }
        guard result == 0 else {
            return .failure(SpawnFailure(status: result == ENOENT ? 127 : 126, reason: String(cString: strerror(result))))
        }
        return .success(ChildProcess(pid: pid))
    }

    struct SpawnFailure: Error {
        var status: Int32
        var reason: String
    }

    /// Waits (on a thread of its own) and returns the status as a shell reports it: the
    /// exit code, or 128 + N when the program died of signal N.
    func wait() async -> Int32 {
        let pid = self.pid
        return await BlockingThread.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// posix_spawnp reads PATH from our own environment: point it at the child's for the
    /// search (this process runs nothing else concurrently that reads PATH).
    private static func withPATH<T>(_ path: String?, _ body: () -> T) -> T {
        let saved = getenv("PATH").map { String(cString: $0) }
        if let path { setenv("PATH", path, 1) }
        defer { if let saved { setenv("PATH", saved, 1) } else { unsetenv("PATH") } }
        return body()
    }
}

// glibc ≥ 2.34 exports this, but its headers hide it from Swift's Glibc module (it needs
// _GNU_SOURCE).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
