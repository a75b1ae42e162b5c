import CPosix
import Foundation
import PDSShared
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `pds-auth` binary (or another product) as a child process, with an
/// explicit environment so tests never touch the user's real credentials.
///
/// Not Foundation's `Process`: its pipes are read by dispatch sources, and a test runner
/// that starts thousands of children from parallel tests, some never waited for, crashed
/// in libdispatch's event loop (signal 11, seen once in CI). Here the child is spawned
/// with `posix_spawn`, a thread of its own reads both pipes with `poll`, another reaps it
/// with `waitpid`, and every descriptor is closed by the one thread that owns it.
package final class CLIProcess: Sendable {
    private let argv: [String]
    private let environ: [String]
    private let output = Output()
    /// The descriptors the parent keeps once the child started.
    private let started = Mutex(Started())

    private struct Started {
        var pid: pid_t = 0
        /// The parent's end of the child's stdin, until `closeInput`.
        var input: Int32 = -1
        /// Closing this pipe's write end tells the reader thread to stop (the child may have
        /// left a grandchild holding stdout open).
        var stopReader: Int32 = -1
    }

    /// What the child wrote and whether it exited, shared with the reader and reaper threads.
    private final class Output: Sendable {
        struct State {
            var stdout = Data()
            var stderr = Data()
            var stdoutClosed = false
            var stderrClosed = false
            /// The raw `waitpid` status once the child exited.
            var exit: Int32?
        }
        let state = Mutex(State())
    }

    /// The directory holding the package's built products (next to the test bundle).
    package static var productsDirectory: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent()
    }

    /// The program the end-to-end tests run. `make test` installs the release binary into a
    /// temporary prefix and names it in `PDS_AUTH_INSTALLED`, so these tests exercise what
    /// `make install` ships; without it they run the debug build next to the test bundle.
    package static func binary(_ name: String = "pds-auth") -> String {
        if name == "pds-auth", let prefix = installedPrefix { return prefix + "/bin/pds-auth" }
        return productsDirectory.appendingPathComponent(name).path
    }

    /// The binary's `TMPDIR` unless a test names another: `exec` and `login` make their
    /// private directories there and sweep abandoned ones, so a broken sweep (or a mutant of
    /// it) can reach only this run's directory, never what other programs keep in /tmp.
    package static let temporaryRoot = TemporaryDirectory()

    /// `PDS_AUTH_INSTALLED`: the prefix `make install` wrote into, when the run is testing it.
    package static var installedPrefix: String? {
        ProcessInfo.processInfo.environment["PDS_AUTH_INSTALLED"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A child that runs `executable` with `arguments` once `start()` is called.
    /// - Parameters:
    ///   - environment: added to a minimal one (PATH, NO_COLOR, this run's TMPDIR), or the
    ///     whole environment when `minimal` is false.
    ///   - ignoring: signals (`"HUP"`) the program starts with ignored, as under `nohup`.
    package init(
        _ arguments: [String], environment: [String: String], executable: String = CLIProcess.binary(), ignoring: [String] = [],
        minimal: Bool = true
    ) {
        // Through env(1), which resets every signal to its default before it execs the program
        // (keeping the pid) and then ignores those named: a runner started in the background
        // by a script has SIGINT and SIGQUIT ignored, which pds-auth (rightly) leaves ignored.
        // The tests must not depend on how they were started.
        argv = ["/usr/bin/env", "--default-signal"] + ignoring.map { "--ignore-signal=\($0)" } + ["--", executable] + arguments
        // PATH for xdg-open lookups, a TMPDIR of this run's own, and what the test passes.
        let base = minimal ? ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TMPDIR": Self.temporaryRoot.path] : [:]
        environ = base.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
    }

    /// Starts the child, its reader thread and its reaper thread (once).
    package func start() throws {
        guard pid == 0 else { throw CLIProcessError(message: "\(argv) was already started") }
        var pipes: [(read: Int32, write: Int32)] = []
        let pid: pid_t
        do {
            for _ in 0..<4 { pipes.append(try Self.pipe()) }
            // The three pipes as 0–2, from an empty directory: the binary must find its pages
            // (embedded from Public/) wherever it is started.
            pid = try ChildTool.spawn(argv, environment: environ, newProcessGroup: true) { actions in
                posix_spawn_file_actions_adddup2(&actions, pipes[0].read, 0)
                posix_spawn_file_actions_adddup2(&actions, pipes[1].write, 1)
                posix_spawn_file_actions_adddup2(&actions, pipes[2].write, 2)
                _ = pds_spawn_add_chdir(&actions, NSTemporaryDirectory())
            }
        } catch {
            for pipe in pipes { [pipe.read, pipe.write].forEach { close($0) } }
            throw error
        }
        let (stdin, stdout, stderr, stop) = (pipes[0], pipes[1], pipes[2], pipes[3])
        [stdin.read, stdout.write, stderr.write].forEach { close($0) }
        started.withLock { $0 = Started(pid: pid, input: stdin.write, stopReader: stop.write) }
        let output = output
        BlockingThread.start { Self.read(stdout: stdout.read, stderr: stderr.read, stop: stop.read, into: output) }
        BlockingThread.start { Self.reap(pid, into: output) }
    }

    /// Waits for the child to end without reaping it (`WNOWAIT`: while it is a zombie its
    /// pid cannot be reused), then reaps it under the lock `signal` takes, so a signal is
    /// never sent to a pid that has since become another process.
    private static func reap(_ pid: pid_t, into output: Output) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        output.state.withLock { state in
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
            // Reaped elsewhere (never by these tests): the status is unknown, not a clean exit.
            state.exit = reaped == pid ? status : Self.unknownStatus
        }
    }

    /// The raw status recorded when the child's real one could not be had.
    private static let unknownStatus: Int32 = -1

    /// The child's pid, once started (it leads a process group of its own, as with `Process`).
    package var pid: pid_t { started.withLock { $0.pid } }

    /// A pipe whose ends are close-on-exec from the start: a program another test spawns
    /// meanwhile cannot inherit them (and keep this child's output open).
    package static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pds_pipe_cloexec(&ends) == 0 else { throw CLIProcessError(message: "pipe: \(String(cString: strerror(errno)))") }
        return (ends[0], ends[1])
    }

    /// The reader thread: appends what arrives on either pipe until both ended (or `stop`
    /// did), then closes the three descriptors it owns.
    private static func read(stdout: Int32, stderr: Int32, stop: Int32, into output: Output) {
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
        fds.append(pollfd(fd: stop, events: Int16(POLLIN), revents: 0))
        var buffer = [UInt8](repeating: 0, count: 65536)
        reading: while fds[0].fd >= 0 || fds[1].fd >= 0 {
            if poll(&fds, 3, -1) < 0 {
                // Interrupted: the revents are stale, poll again.
                if errno == EINTR { continue }
                break
            }
            if fds[2].revents != 0 { break reading }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fds[index].fd, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                output.state.withLock { state in
                    switch (index, count > 0) {
                    case (0, true): state.stdout.append(contentsOf: buffer[..<count])
                    case (1, true): state.stderr.append(contentsOf: buffer[..<count])
                    case (0, false): state.stdoutClosed = true
                    default: state.stderrClosed = true
                    }
                }
                if count <= 0 {
                    close(fds[index].fd)
                    fds[index].fd = -1
                }
            }
        }
        for descriptor in fds where descriptor.fd >= 0 { close(descriptor.fd) }
    }

    /// Writes to the child's stdin, as a user typing (or a script piping) would.
    package func type(_ text: String) throws {
        Self.ignoreBrokenPipes()
        let bytes = Array(text.utf8)
        // A copy of the descriptor, written outside the lock: a child that does not read can
        // block this write, but never `pid`, `isRunning`, `kill` or `deinit`.
        let descriptor = started.withLock { $0.input >= 0 ? fcntl($0.input, F_DUPFD_CLOEXEC, 3) : -1 }
        guard descriptor >= 0 else { throw CLIProcessError(message: "stdin is closed") }
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { buffer in
            guard FileDescriptorWriting.writeAll(descriptor, buffer) else {
                throw CLIProcessError(message: "writing to stdin: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// A write to a reader that is gone (a child that already exited) must fail with EPIPE,
    /// not kill the test runner. Only while SIGPIPE is at its default: a test that set a
    /// handler of its own (ProcessStateTests) keeps it.
    package static func ignoreBrokenPipes() {
        var action = sigaction()
        if sigaction(SIGPIPE, nil, &action) == 0, unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 0 {
            Glibc.signal(SIGPIPE, SIG_IGN)
        }
    }

    /// Ends the child's stdin, as Ctrl-D at the start of a line (or a pipe's end) would.
    package func closeInput() {
        started.withLock { started in
            if started.input >= 0 { close(started.input) }
            started.input = -1
        }
    }

    /// Sends a signal (SIGINT for Ctrl-C, SIGTERM).
    /// Only while the child is not reaped (see `reap`): its pid is still its own.
    package func signal(_ number: Int32) {
        let pid = pid
        guard pid > 0 else { return }
        output.state.withLock { if $0.exit == nil { Glibc.kill(pid, number) } }
    }

    /// SIGKILL: a child that outlives its test (a failed expectation, a thrown error) must
    /// not linger; unlike SIGTERM this cannot be ignored, blocked or inherited as ignored.
    package func kill() {
        if isRunning { signal(SIGKILL) }
    }

    deinit {
        kill()
        closeInput()
        started.withLock { if $0.stopReader >= 0 { close($0.stopReader) } }
    }

    /// Whether the child started and has not been reaped yet.
    package var isRunning: Bool { pid > 0 && output.state.withLock { $0.exit == nil } }

    package var stderr: String { output.state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }
    package var stdout: String { output.state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }

    /// Waits until stderr contains a match for `pattern` and returns the first capture group.
    package func waitForStderr(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: String?
        try await waitUntil(timeout: timeout) {
            found = Self.firstMatch(regex, in: stderr)
            return found != nil || !isRunning
        }
        guard let found else { throw CLIProcessError(message: "no match for \(pattern) in stderr: \(stderr)") }
        return found
    }

    /// The first capture group of `regex`'s first match in `text` (the whole match without one).
    package static func firstMatch(_ regex: NSRegularExpression, in text: String) -> String? {
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: match.numberOfRanges > 1 ? 1 : 0), in: text)
        else { return nil }
        return String(text[range])
    }

    /// Waits until stdout contains `text`.
    package func waitForStdout(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitUntil(timeout: timeout) { stdout.contains(text) || !isRunning }
        let output = stdout
        guard output.contains(text) else { throw CLIProcessError(message: "no \(text) on stdout: \(output) \(stderr)") }
        return output
    }

    /// The signal the program died of, if it did (rather than exiting).
    package var diedOf: Int32? {
        guard let status = output.state.withLock({ $0.exit }), status != Self.unknownStatus, status & 0x7f != 0 else { return nil }
        return status & 0x7f
    }

    /// The exit code, once the program exited rather than died.
    package var exitCode: Int32? {
        guard let status = output.state.withLock({ $0.exit }), status != Self.unknownStatus, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    /// Waits for exit (bounded) and returns the status as a shell reports it: the exit code,
    /// or 128 + N for a death by signal N (`diedOf` tells the two apart).
    package func wait(timeout: Duration = .seconds(120)) async throws -> Int32 {
        guard try await waitUntil(timeout: timeout, { !isRunning }) else {
            kill()
            throw CLIProcessError(message: "process did not exit; stderr: \(stderr)")
        }
        // Everything is read once both pipes reached their end. A child the program left
        // running may hold them open: then what arrived is the output.
        _ = try await waitUntil(timeout: .seconds(10)) { output.state.withLock { $0.stdoutClosed && $0.stderrClosed } }
        return diedOf.map { 128 + $0 } ?? exitCode ?? -1
    }

    /// Runs to completion.
    package static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = CLIProcess(arguments, environment: environment)
        try child.start()
        child.closeInput()
        let status = try await child.wait()
        return (status, child.stdout, child.stderr)
    }
}

package struct CLIProcessError: Error, CustomStringConvertible {
    package init(message: String) { self.message = message }
    package var message: String
    package var description: String { message }
}
