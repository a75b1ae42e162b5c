import CPosix
import Foundation
import PDSAuth
import PDSShared

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper program (openssl, tmux) to completion. Not Foundation's `Process`: it
/// learns of a child's exit through a descriptor the child inherits, so a daemon the child
/// forks (tmux's server) keeps it "running" forever. Here the child gets only stdin
/// (/dev/null) and stdout/stderr (a file) — every other descriptor is closed, so a daemon
/// holds none of the test runner's pipes — and is reaped with `waitpid` on a thread of its
/// own, never blocking the cooperative pool. Signals start unblocked and at their defaults.
package enum ChildTool {
    @discardableResult
    package static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String]? = nil
    ) async throws -> (status: Int32, output: String) {
        let scratch = TemporaryDirectory()
        let outputPath = scratch.file("output")
        let environ = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let pid = try spawn([executable] + arguments, environment: environ) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            if let directory { _ = pds_spawn_add_chdir(&actions, directory) }
        }
        let status = await BlockingThread.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exit code, or 128 + signal like a shell.
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    /// posix_spawn as every child of the tests is started: `arrange` sets up descriptors 0–2
    /// (and, if it likes, the directory), everything above 2 is closed, and every signal is
    /// unblocked and at its default. Swift's cooperative threads run with nearly every signal
    /// blocked, and a spawned program inherits the caller's mask: without a reset, tmux's
    /// server could never be told to exit, nor anything else be stopped with SIGTERM. With
    /// `newProcessGroup`, the child leads a group of its own (as Foundation's `Process` did).
    package static func spawn(
        _ argv: [String], environment: [String], newProcessGroup: Bool = false,
        _ arrange: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        arrange(&actions)
        _ = pds_spawn_add_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw CLIProcessError(message: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }
}
