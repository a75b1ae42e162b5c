import Foundation
import PDSAuthTestSupport
import PDSShared
import Synchronization

@testable import PDSAuthCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a `pds-auth` command line in the test process, with gh-style injected streams
/// (`CommandIO`): stdout and stderr into buffers, stdin from a pipe, an explicit
/// environment, and no terminal. The same commands, parsing and exit statuses as the
/// binary, without a process per call; what only a process shows (signals, the installed
/// binary, `token`'s fast path, a real terminal) stays with `CLIProcess`.
enum InProcessCLI {
    /// Runs `arguments` with `environment` added to the same minimal one `CLIProcess` gives
    /// a child (PATH, NO_COLOR, this run's TMPDIR), and `stdin` (nothing: an empty stdin).
    /// Returns what `CLIProcess.run` does: the status and what was printed. A command still
    /// running after `timeout` is a failed test (it is left to finish in the background).
    static func run(
        _ arguments: [String], environment: [String: String], stdin: String = "", timeout: Duration = .seconds(120)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let output = Mutex((stdout: [UInt8](), stderr: [UInt8]()))
        let pipe = try CLIProcess.pipe()
        let ends = [pipe.read, pipe.write]
        // The whole stdin is written by a thread of its own (it may exceed the pipe's buffer),
        // then closed: a command reading it sees its end, as with `< file`.
        CLIProcess.ignoreBrokenPipes()
        let writer = ends[1]
        let bytes = Array(stdin.utf8)
        BlockingThread.start {
            _ = bytes.withUnsafeBytes { FileDescriptorWriting.writeAll(writer, $0) }
            close(writer)
        }
        let io = CommandIO(
            environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TMPDIR": CLIProcess.temporaryRoot.path].merging(environment) { _, new in new },
            write: { stream, written in
                output.withLock { if stream == .output { $0.stdout += written } else { $0.stderr += written } }
                return true
            },
            isTerminal: { _ in false },
            input: ends[0])
        let finished = Mutex<Int32?>(nil)
        let reader = ends[0]
        Task {
            let status = await PDSAuthCommand.status(of: arguments, io: io)
            // Closed only once the command is done with it (it might still read after a timeout).
            close(reader)
            finished.withLock { $0 = status }
        }
        let text = { output.withLock { (String(decoding: $0.stdout, as: UTF8.self), String(decoding: $0.stderr, as: UTF8.self)) } }
        guard let status = try await waitForValue(timeout: timeout, { finished.withLock { $0 } }) else {
            throw CLIProcessError(message: "\(arguments) did not finish within \(timeout); stderr: \(text().1)")
        }
        let (stdout, stderr) = text()
        return (status, stdout, stderr)
    }
}
