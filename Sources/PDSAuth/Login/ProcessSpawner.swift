import CPosix
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
package enum ProcessSpawner {
    /// - Parameters:
    ///   - environment: the child's environment (and the PATH searched); nil inherits ours.
    ///   - silent: stdin, stdout and stderr on /dev/null instead of ours.
    /// - Returns: the child's pid, or the errno of the failure (ENOENT: not found).
    package static func spawn(_ argv: [String], environment: [String: String]? = nil, silent: Bool = false) -> Result<pid_t, SpawnError> {
        guard !argv.isEmpty else { return .failure(SpawnError(number: EINVAL)) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if silent {
            for descriptor: Int32 in [0, 1, 2] {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        _ = pds_spawn_add_closefrom(&actions, 3)
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
        let program: String
        switch resolve(argv[0], path: (environment ?? currentEnvironment())["PATH"]) {
        case .success(let found): program = found
        case .failure(let error): return .failure(error)
        }
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result: Int32
        if let environment {
            var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { cEnvironment.forEach { free($0) } }
            result = posix_spawn(&pid, program, &actions, &attributes, &cArguments, &cEnvironment)
        } else {
            result = posix_spawn(&pid, program, &actions, &attributes, &cArguments, environ)
        }
        return result == 0 ? .success(pid) : .failure(SpawnError(number: result))
    }

    /// `name` as the child would find it: a name with a slash as it is, else the first
    /// executable of that name in the child's `PATH` (not ours: `posix_spawnp` would search
    /// ours), `/usr/bin:/bin` when it has none, as POSIX shells default. ENOENT when there is
    /// none; EACCES when one exists but none can be run.
    static func resolve(_ name: String, path: String?) -> Result<String, SpawnError> {
        guard !name.isEmpty else { return .failure(SpawnError(number: ENOENT)) }
        if name.contains("/") { return .success(name) }
        var denied = false
        for directory in (path ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return .success(candidate) }
            denied = true
        }
        return .failure(SpawnError(number: denied ? EACCES : ENOENT))
    }

    private static func currentEnvironment() -> [String: String] {
        getenv("PATH").map { ["PATH": String(cString: $0)] } ?? [:]
    }

    package struct SpawnError: Error, Sendable {
        package var number: Int32
        package var description: String { String(cString: strerror(number)) }
    }

    /// Waits for `pid` on a thread of its own and returns its status as a shell reports it:
    /// the exit code, or 128 + N when it died of signal N.
    package static func wait(_ pid: pid_t) async -> Int32 {
        await BlockingThread.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// Returns once `pid` has ended, without reaping it: until `wait(_:)` reaps it, its pid
    /// cannot be given to another process, so a signal sent to it meanwhile cannot go astray.
    package static func waitUntilEnded(_ pid: pid_t) async {
        await BlockingThread.run {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        }
    }
}

/// Which of the signals pds-auth handles (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
/// SIGUSR2) this process was started with ignored: `nohup` ignores SIGHUP, and a shell
/// without job control starts a background job (`cmd &`) with SIGINT and SIGQUIT ignored.
/// By the long-standing Unix convention (POSIX `trap` for shells, every well-behaved
/// daemon) such a signal stays ignored: pds-auth neither traps it (`SignalRouter`) nor
/// resets it for the programs it starts (`ProcessSpawner`), so `nohup pds-auth exec -- job`
/// survives the terminal closing, as the job would on its own.
package enum InheritedSignals {
    /// The signal numbers, read once on first use: when `SignalRouter.block()` runs in
    /// `main`, before any other thread exists and before pds-auth changes any of these, so
    /// they are what the parent gave us. An array, not a `Set`: a `Set<Int32>` is a generic type
    /// used nowhere else, which the runtime first looks up by scanning the binary's protocol
    /// conformances (perf showed that scan here, in `login`'s start).
    package static let ignored: [Int32] = {
        // Only these: an ignored SIGPIPE, say, is no convention, and programs started with it
        // ignored misbehave, so children get SIGPIPE's default whatever we were given.
        [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2].filter { number in
            var action = sigaction()
            // SIG_IGN is the handler value 1 (<bits/signum-generic.h>).
            return sigaction(number, nil, &action) == 0 && unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1
        }
    }()
}
