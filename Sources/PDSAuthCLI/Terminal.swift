import ArgumentParser
import FoundationEssentials
import Glibc
import PDSAuth

/// Human narration goes to stderr, machine output to stdout. Colour only on a terminal
/// and never with NO_COLOR (no-color.org) or TERM=dumb.
struct Terminal: Sendable {
    let environment: [String: String]
    var quiet = false
    /// The command being run (`exec`, `api`…), whose flags and help the advice names.
    let command: String
    /// `--verbose`: one line on stderr per request (see `transport(_:caBundleFlag:)`).
    var verbose = false

    /// The streams this terminal writes to and reads from: the running command's (see
    /// `CommandIO`), kept so that work in other tasks (the waiting line's clock) writes there too.
    let io: CommandIO

    init(command: String? = nil, environment: [String: String], quiet: Bool = false, verbose: Bool = false) {
        self.io = CommandIO.current
        self.command = command ?? "pds-auth"
        self.environment = environment
        self.quiet = quiet
        self.verbose = verbose
    }

    /// The transport settings from the environment; with `--verbose`, each request is traced
    /// (method, URL without query, and the proxy it goes through or why none).
    func transport(_ environment: [String: String], caBundleFlag: String? = nil) throws(PDSAuthError) -> TransportOptions {
        var options = try TransportOptions.fromEnvironment(environment, caBundleFlag: caBundleFlag)
        if verbose {
            options.trace = { line in io.error("pds-auth: \(Redaction.terminalSafe(line, limit: 600))\n") }
        }
        return options
    }

    var stderrIsTTY: Bool { io.isTerminal(2) }
    var stdinIsTTY: Bool { io.isTerminal(0) }
    var stdoutIsTTY: Bool { io.isTerminal(1) }
    var colour: Bool { stderrIsTTY && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb" }

    func say(_ text: String) {
        guard !quiet else { return }
        io.error(text + "\n")
    }

    /// What the user must act on (where to sign in, the paste prompt), printed even with
    /// `--quiet`: without it a sign-in with no browser could not be completed.
    func must(_ text: String) { io.error(text + "\n") }

    /// Machine output. A closed stdout (`pds-auth token | head -c0`) ends the process with
    /// its own exit status rather than SIGPIPE: everything worth keeping is saved by then.
    func out(_ text: String, newline: Bool = true) {
        out(bytes: Array((newline ? text + "\n" : text).utf8))
    }

    /// Machine output as bytes (a chunk may end inside a UTF-8 sequence).
    func out(bytes: [UInt8]) {
        guard !StandardStreams.stdoutWasClosed, io.output(bytes) else {
            io.error("pds-auth: standard output was closed; output discarded\n")
            exit(ExitStatus.outputClosed.rawValue)
        }
    }

    func warn(_ text: String) { io.error("\(yellow("warning:")) \(Redaction.terminalSafe(text, limit: 400))\n") }

    func green(_ text: String) -> String { colour ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// Prints a failure the way every command does: what happened, then what to do.
    func report(_ error: PDSAuthError) {
        io.error("\(red("error:")) \(error.description)\n")
        if let hint = DevServerHome.hint(for: error, environment: environment)
            ?? ErrorAdvice.hint(for: error, command: command, profile: error.profile)
        {
            io.error("  \(hint)\n")
        }
    }

    /// Reads a line from the terminal with echo off (for the client secret). The wait ends
    /// at once when the task is cancelled (Ctrl-C, SIGTERM): the line is read by
    /// `InputLines` on a thread of its own, never by a blocking `readLine` that a signal
    /// cannot interrupt. Nil at end of input.
    func readHidden(prompt: String) async throws(PDSAuthError) -> String? {
        io.error(prompt)
        var original = termios()
        let isTerminal = tcgetattr(io.input, &original) == 0
        if isTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            Self.echoOff.set((io.input, original))
            tcsetattr(io.input, TCSAFLUSH, &silent)
        }
        defer {
            if isTerminal {
                Self.restoreEcho()
                io.error("\n")
            }
        }
        for await line in InputLines.stream(descriptor: io.input, maxLineLength: 64 * 1024) {
            return line
        }
        if Task.isCancelled { throw PDSAuthError(.cancelled, "Interrupted; nothing was saved") }
        return nil
    }

    /// One line from stdin (an answer to a question), nil at end of input.
    func readLine() async -> String? {
        for await line in InputLines.stream(descriptor: io.input, maxLineLength: 1024) { return line }
        return nil
    }

    /// Runs `body` with the terminal on stdin taking lines of any length: in its usual
    /// (canonical) mode Linux keeps at most 4095 bytes of a line and drops the rest, and a
    /// sealed session is often longer. Line editing is off meanwhile; the settings come back
    /// afterwards, and on a signal that ends the process (as for `readHidden`).
    func withLongLines<T>(_ body: () async -> T) async -> T {
        var original = termios()
        guard stdinIsTTY, tcgetattr(io.input, &original) == 0 else { return await body() }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON)
        withUnsafeMutablePointer(to: &raw.c_cc) { cc in
            cc.withMemoryRebound(to: cc_t.self, capacity: Int(NCCS)) {
                $0[Int(VMIN)] = 1
                $0[Int(VTIME)] = 0
            }
        }
        Self.echoOff.set((io.input, original))
        tcsetattr(io.input, TCSANOW, &raw)
        defer { Self.restoreEcho() }
        return await body()
    }

    /// The terminal settings from before `readHidden` turned echo off, while it is off: a
    /// signal that ends the process at the prompt (`SignalRouter.terminate(by:)`) puts them
    /// back, or the shell would keep a terminal that shows nothing typed.
    private static let echoOff = LockedValue<(descriptor: Int32, settings: termios)?>(nil)

    static func restoreEcho() {
        guard
            var original = echoOff.update({ saved in
                defer { saved = nil }
                return saved
            })
        else { return }
        tcsetattr(original.descriptor, TCSAFLUSH, &original.settings)
    }

    /// The store's repairs (permissions narrowed, a save recovered) as warnings on stderr.
    func store(directory: String) -> CredentialStore {
        CredentialStore(directory: directory, onWarning: { self.warn($0) })
    }
}

/// `--verbose` for the commands that reach the network.
struct VerboseOption: ParsableArguments {
    @Flag(help: "Say on stderr which requests are made and through which proxy, if any (never a secret).")
    var verbose = false
}

/// Every JSON document pds-auth prints follows the same rules (README "JSON output"): keys
/// sorted, numbers as numbers, times as RFC 3339 strings in UTC, nothing truncated, no
/// escaped slashes; pretty-printed on a terminal, one line otherwise. On a terminal, every
/// character inside strings that a terminal could act on (C0 and C1 controls, DEL, bidi
/// overrides and other format characters, which names and claims from a server or a file
/// may hold) is written as a `\uXXXX` escape: the same JSON value, safe to show.
enum JSONOutput {
    static func text(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, numbers and dates cannot fail.
        let compact = try! encoder.encode(value)
        guard pretty else { return String(decoding: compact, as: UTF8.self) }
        // What JSONEncoder wrote is JSON: JSONText reads it back.
        return JSONText(compact)!.prettyForTerminal
    }
}
