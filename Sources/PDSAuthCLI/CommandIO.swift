import ArgumentParser
import FoundationEssentials
import Glibc
import PDSAuth
import PDSShared

/// Where a command's bytes go and what it knows of its surroundings, as gh's `IOStreams`:
/// the process's descriptors 0–2 and environment when it runs as `pds-auth`; buffers, a pipe
/// for stdin and a given environment when a test runs a command in-process
/// (`PDSAuthCommand.status(of:io:)`). Commands reach it through `CommandIO.current`, a task
/// local, because argument-parser builds the commands and cannot hand them anything.
struct CommandIO: Sendable {
    enum Stream: Sendable { case output, error }

    /// Nil: the process's own environment, read when asked (the `token` fast path never is).
    private let givenEnvironment: [String: String]?
    /// Writes all the bytes to a stream; false when it refuses them (a closed stdout).
    let write: @Sendable (Stream, [UInt8]) -> Bool
    /// Whether descriptor 0, 1 or 2 is a terminal.
    let isTerminal: @Sendable (Int32) -> Bool
    /// Where stdin is read from (pasted answers, sealed sessions, `api --input -`).
    let input: Int32

    /// The process's streams and environment.
    static let process = CommandIO(
        environment: nil,
        write: { stream, bytes in
            bytes.withUnsafeBytes { FileDescriptorWriting.writeAll(stream == .output ? 1 : 2, $0) }
        },
        isTerminal: { isatty($0) == 1 },
        input: 0)

    /// The streams of the command running in this task (the process's unless a test set others).
    @TaskLocal static var current = CommandIO.process

    init(
        environment: [String: String]?, write: @escaping @Sendable (Stream, [UInt8]) -> Bool,
        isTerminal: @escaping @Sendable (Int32) -> Bool, input: Int32
    ) {
        self.givenEnvironment = environment
        self.write = write
        self.isTerminal = isTerminal
        self.input = input
    }

    var environment: [String: String] { givenEnvironment ?? ProcessInfo.processInfo.environment }

    /// Writes `text` to stderr (narration, errors); false when it was refused.
    @discardableResult
    func error(_ text: String) -> Bool { write(.error, Array(text.utf8)) }

    /// Writes `bytes` to stdout (machine output); false when it was refused.
    @discardableResult
    func output(_ bytes: [UInt8]) -> Bool { write(.output, bytes) }
}

extension PDSAuthCommand {
    /// Runs one command line (without the program name) to the status `pds-auth` would exit
    /// with: command-line mistakes are 2, errors are reported on stderr and become their
    /// documented status. `main` calls it with the process's streams; tests with others.
    static func status(of arguments: [String], io: CommandIO = .process) async -> Int32 {
        await CommandIO.$current.withValue(io) {
            let commands = configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
            if let mistake = CommandLineMistakes.check(arguments, commands: commands) {
                io.error(mistake + "\n")
                return ExitStatus.usage.rawValue
            }
            do {
                var command = try parseAsRoot(arguments)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                let code = exitCode(for: error)
                // One style for every error line: argument-parser's "Error: " becomes the
                // "error: " runtime errors print.
                var message = fullMessage(for: error)
                if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
                if !message.isEmpty { _ = io.write(code == .success ? .output : .error, Array((message + "\n").utf8)) }
                return code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue
            }
        }
    }
}

/// Descriptors 0–2 as the process found them. One that was closed at start is pointed at
/// /dev/null, so a file pds-auth opens (the credentials, their lock) can never become
/// "stdout" and receive a token; output meant for a closed stdout is then refused.
enum StandardStreams {
    // Unsafe is safe here: written only by `secure()`, which `main` calls before any other
    // thread or task exists; read-only from then on.
    nonisolated(unsafe) private(set) static var stdoutWasClosed = false

    /// Call first thing in `main`, before any file is opened (single-threaded then).
    static func secure() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
            if descriptor == 1 { stdoutWasClosed = true }
        }
    }
}
