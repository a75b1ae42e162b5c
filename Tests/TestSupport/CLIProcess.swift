import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `pds-auth` binary (or another product) as a child process, with an
/// explicit environment so tests never touch the user's real credentials.
package final class CLIProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are configured before `run()` and afterwards only
    // read through Foundation's thread-safe APIs; the output and its end-of-file flags are
    // guarded by `lock`.
    package let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdinPipe = Pipe()
    private let lock = NSLock()
    private var stderrData = Data()
    private var stdoutData = Data()
    private var stderrClosed = false
    private var stdoutClosed = false

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

    /// - Parameter ignoring: signals (`"HUP"`) the program starts with ignored, as under `nohup`.
    package init(_ arguments: [String], environment: [String: String], executable: String = CLIProcess.binary(), ignoring: [String] = []) {
        // Through env(1), which resets every signal to its default before it execs the program
        // (keeping the pid): Foundation's Process passes on the dispositions this test runner
        // was given, and a runner started in the background by a script has SIGINT and
        // SIGQUIT ignored, which pds-auth (rightly) leaves ignored. The tests must not depend
        // on how they were started.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal"] + ignoring.map { "--ignore-signal=\($0)" } + ["--", executable] + arguments
        // A minimal environment: PATH for xdg-open lookups, a TMPDIR of this run's own, and
        // what the test passes.
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TMPDIR": Self.temporaryRoot.path].merging(environment) { _, new in new }
        // Run from a directory with nothing in it: the binary must find its pages (embedded
        // from Public/) wherever it is started.
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        // An empty chunk is the end of the output (every writer has closed the pipe): `wait()`
        // waits for both ends before it stops the handlers.
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.lock.withLock { if chunk.isEmpty { self?.stderrClosed = true } else { self?.stderrData.append(chunk) } }
        }
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.lock.withLock { if chunk.isEmpty { self?.stdoutClosed = true } else { self?.stdoutData.append(chunk) } }
        }
    }

    package func start() throws { try process.run() }

    /// Writes to the child's stdin, as a user typing (or a script piping) would.
    package func type(_ text: String) throws {
        // A child that already exited must fail this write (EPIPE), not kill the test runner.
        // Only when SIGPIPE is at its default: a test that set a handler of its own
        // (ProcessStateTests) keeps it.
        var action = sigaction()
        if sigaction(SIGPIPE, nil, &action) == 0, unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 0 {
            Glibc.signal(SIGPIPE, SIG_IGN)
        }
        try stdinPipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Ends the child's stdin, as Ctrl-D at the start of a line (or a pipe's end) would.
    package func closeInput() { try? stdinPipe.fileHandleForWriting.close() }

    /// Sends a signal (SIGINT for Ctrl-C, SIGTERM).
    package func signal(_ number: Int32) { Glibc.kill(process.processIdentifier, number) }

    /// SIGKILL: a child that outlives its test (a failed expectation, a thrown error) must
    /// not linger; unlike SIGTERM this cannot be ignored, blocked or inherited as ignored.
    package func kill() {
        if process.isRunning { signal(SIGKILL) }
    }

    deinit { kill() }

    package var stderr: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }
    package var stdout: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }

    /// Waits until stderr contains a match for `pattern` and returns the first capture group.
    package func waitForStderr(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: String?
        try await waitUntil(timeout: timeout) {
            found = Self.firstMatch(regex, in: stderr)
            return found != nil || !process.isRunning
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
        try await waitUntil(timeout: timeout) { stdout.contains(text) || !process.isRunning }
        let output = stdout
        guard output.contains(text) else { throw CLIProcessError(message: "no \(text) on stdout: \(output) \(stderr)") }
        return output
    }

    /// The signal the program died of, if it did (rather than exiting).
    package var diedOf: Int32? { process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil }

    /// Waits for exit (bounded) and returns the status as a shell reports it: the exit code,
    /// or 128 + N for a death by signal N (`diedOf` tells the two apart).
    package func wait(timeout: Duration = .seconds(120)) async throws -> Int32 {
        guard try await waitUntil(timeout: timeout, { !process.isRunning }) else {
            kill()
            throw CLIProcessError(message: "process did not exit; stderr: \(stderr)")
        }
        // The readability handlers have read everything once both pipes reached their end. A
        // child the program left running may hold them open: then what arrived is the output.
        let ended = try await waitUntil(timeout: .seconds(10)) { lock.withLock { stdoutClosed && stderrClosed } }
        stdoutPipe.fileHandleForReading.readabilityHandler = nil
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        if ended {
            lock.withLock {
                stdoutData.append(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
                stderrData.append(stderrPipe.fileHandleForReading.readDataToEndOfFile())
            }
        }
        return diedOf.map { 128 + $0 } ?? process.terminationStatus
    }

    /// Runs to completion.
    package static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = CLIProcess(arguments, environment: environment)
        try child.start()
        try child.stdinPipe.fileHandleForWriting.close()
        let status = try await child.wait()
        return (status, child.stdout, child.stderr)
    }
}

package struct CLIProcessError: Error, CustomStringConvertible {
    package init(message: String) { self.message = message }
    package var message: String
    package var description: String { message }
}
