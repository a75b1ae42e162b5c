import Glibc
import PDSShared

/// Starts other programs (the browser, `pds-auth exec`'s program) with posix_spawnp. Swift's
/// threads run with nearly every signal blocked, and pds-auth blocks SIGINT, SIGTERM and the
/// other signals it receives through signalfd in every thread; a mask is inherited across
/// exec, and so are ignored dispositions. So the child
/// starts with an empty mask and default dispositions, except for the signals pds-auth was
/// itself started with ignored (`InheritedSignals`: `nohup` reaches the program too), and
/// with no descriptor of ours beyond 0–2, so it can never hold a socket or a credentials
/// file open.
public enum ProcessSpawner {
    /// - Parameters:
    ///   - environment: the child's environment (and the PATH searched); nil inherits ours.
    ///   - silent: stdin, stdout and stderr on /dev/null instead of ours.
    /// - Returns: the child's pid, or the errno of the failure (ENOENT: not found).
    public static func spawn(_ argv: [String], environment: [String: String]? = nil, silent: Bool = false) -> Result<pid_t, SpawnError> {
        guard !argv.isEmpty else { return .failure(SpawnError(number: EINVAL)) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if silent {
            for descriptor: Int32 in [0, 1, 2] {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        _ = spawnCloseFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var reset = sigset_t()
        sigfillset(&reset)
        for number in InheritedSignals.ignored { sigdelset(&reset, number) }
        posix_spawnattr_setsigdefault(&attributes, &reset)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result: Int32
        if let environment {
            var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { cEnvironment.forEach { free($0) } }
            result = withPATH(environment["PATH"]) { posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment) }
        } else {
            result = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        }
        return result == 0 ? .success(pid) : .failure(SpawnError(number: result))
    }

    public struct SpawnError: Error, Sendable {
        public var number: Int32
        public var description: String { String(cString: strerror(number)) }
    }

    /// Waits for `pid` on a thread of its own and returns its status as a shell reports it:
    /// the exit code, or 128 + N when it died of signal N.
    public static func wait(_ pid: pid_t) async -> Int32 {
        await BlockingThread.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// Returns once `pid` has ended, without reaping it: until `wait(_:)` reaps it, its pid
    /// cannot be given to another process, so a signal sent to it meanwhile cannot go astray.
    public static func waitUntilEnded(_ pid: pid_t) async {
        await BlockingThread.run {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        }
    }

    /// posix_spawnp searches the PATH of *our* environment: point it at the child's for the
    /// search. Callers spawn from one task at a time (login's browser, exec's program).
    private static func withPATH<T>(_ path: String?, _ body: () -> T) -> T {
        let saved = getenv("PATH").map { String(cString: $0) }
        if let path { setenv("PATH", path, 1) }
        defer { if let saved { setenv("PATH", saved, 1) } else { unsetenv("PATH") } }
        return body()
    }
}

// glibc ≥ 2.34 (Debian 12 has 2.36) exports this, but its headers hide it from Swift's Glibc
// module (it needs _GNU_SOURCE).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
