import ArgumentParser
import Glibc
import PDSAuth

struct PDSAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pds-auth",
        abstract: "Sign in to Alibaba Cloud Drive and Photo Service (PDS) and keep a refreshable OAuth token.",
        discussion: "Exit statuses: 0 success, 2 command line, 7 sign in again, 8 and 9 retry later; all of them: pds-auth help exit-codes.",
        version: PDSAuthVersion.current,
        subcommands: [
            LoginCommand.self, JWTCommand.self, TokenCommand.self, ApiCommand.self, ExecCommand.self, RefreshCommand.self,
            StatusCommand.self, SwitchCommand.self, LogoutCommand.self, StoreCommand.self, ImportCommand.self, ExportCommand.self,
            DoctorCommand.self, DevServerCommand.self, ExitCodesCommand.self,
        ])

    /// argument-parser's entry point, with one exit status for every command-line mistake:
    /// its parse and validation errors become 2 (README's "invalid command line") instead of
    /// its default 64 (see `status(of:io:)`).
    static func main() async {
        Glibc.exit(await status(of: Array(CommandLine.arguments.dropFirst())))
    }
}

/// The process entry. Synchronous, so `pds-auth token` on a fresh token (what scripts call
/// in loops) is answered by `TokenFastPath` before argument-parser reflects over every
/// command and before the async runtime starts; everything else goes to `PDSAuthCommand`.
///
/// First, for every command: SIGPIPE is ignored (a closed stdout is exit 14, a peer closing
/// a TLS connection mid-write a network error), and descriptors 0–2 are made safe.
@main
enum Entry {
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        StandardStreams.secure()
        let terminal = Terminal(
            environment: ["NO_COLOR": TokenFastPath.variable("NO_COLOR"), "TERM": TokenFastPath.variable("TERM")].compactMapValues { $0 })
        if let token = TokenFastPath.answer(CommandLine.arguments.dropFirst(), warn: { terminal.warn($0) }) {
            terminal.out(token)
            exit(0)
        }
        SignalRouter.block()
        // Detached: a plain Task would inherit main's main-actor isolation and wait for a
        // main queue that nothing drains (the main thread is parked, not in dispatchMain).
        Task.detached {
            await SignalRouter.start()
            await PDSAuthCommand.main()
            exit(0)
        }
        SignalRouter.park()
    }
}

/// How every command runs its work: errors are reported the standard way (what happened,
/// then what to do) and become the documented exit status; with `cancellable`, SIGINT and
/// SIGTERM cancel the work so it unwinds (listener closed, nothing half-written), and then
/// the process dies of that signal, which a shell reports as 130 / 143 (see
/// `SignalRouter.terminate(by:)` for why it is not a plain exit).
enum CommandRunner {
    static func run(_ terminal: Terminal, _ body: () async throws(PDSAuthError) -> Void) async throws {
        do {
            try await body()
        } catch {
            terminal.report(error)
            if error.code == .cancelled, let signal = error.signal {
                SignalRouter.terminate(by: signal == SIGTERM ? SIGTERM : SIGINT)
            }
            throw ExitCode(exitStatus(for: error).rawValue)
        }
    }

    static func exitStatus(for error: PDSAuthError) -> ExitStatus {
        if error.code == .cancelled { return error.signal == SIGTERM ? .terminated : .interrupted }
        return ExitStatus(error.code)
    }

    /// Runs `work` in a task that SIGINT/SIGTERM cancel (other signals end the process as
    /// usual, see `SignalRouter`). Unwinding gets `unwindLimit`; a second signal, or a work
    /// that has not unwound by then, ends the process at once: Ctrl-C always stops us.
    /// `unwound` says what the interruption left behind.
    static func cancellable<T: Sendable>(
        unwindLimit: Duration = .seconds(5), unwound: String = "nothing was saved and the listener was closed",
        _ work: @escaping @Sendable () async throws(PDSAuthError) -> T
    ) async throws(PDSAuthError) -> T {
        let task = Task { () throws(PDSAuthError) -> T in try await work() }
        let received = LockedValue<Int32?>(nil)
        let result = await SignalRouter.routing({ signal in
            let number = signal == .sigterm ? SIGTERM : SIGINT
            let first = received.update { received -> Bool in
                guard received == nil else { return false }
                received = number
                return true
            }
            guard first, signal == .sigint || signal == .sigterm else { SignalRouter.terminate(by: signal.rawValue) }
            task.cancel()
            Task.detached {
                try? await Task.sleep(for: unwindLimit)
                SignalRouter.terminate(by: signal.rawValue)
            }
        }) { await task.result }
        // Work that finished despite the signal (it came as the credentials were saved) is
        // done: saying "nothing was saved" would be false.
        if case .success(let value) = result { return value }
        if let signal = received.value {
            throw PDSAuthError(.cancelled, "Interrupted; \(unwound)", signal: signal)
        }
        switch result {
        case .success(let value): return value
        case .failure(let error as PDSAuthError): throw error
        case .failure(let error): throw PDSAuthError(.internal, "Unexpected failure: \(error)")
        }
    }
}

/// Mistakes caught before argument-parser sees the command line, because its own message
/// would be less helpful or would repeat what must not be repeated:
/// - an unknown command gets "did you mean" the closest one (as git and gh do);
/// - `--client-secret` (which does not exist, on purpose) gets the supported ways instead of
///   "Unknown option '--client-secret=…'", which would print the secret back.
enum CommandLineMistakes {
    /// The error line for `arguments` (without the program name), or nil to parse as usual.
    static func check(_ arguments: [String], commands: [String]) -> String? {
        // After `--`, words belong to `exec`'s program.
        let ours = arguments.prefix { $0 != "--" }
        if ours.contains(where: { $0 == "--client-secret" || $0.hasPrefix("--client-secret=") }) {
            return "error: there is no --client-secret option, on purpose: a command line is visible to every local user (ps). "
                + "Give the secret in PDS_CLIENT_SECRET, in a file with --client-secret-file FILE, or at the hidden prompt a terminal shows."
        }
        guard let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) else { return nil }
        let shown = Redaction.terminalSafe(first, limit: 40)
        guard let closest = commands.min(by: { distance(first, $0) < distance(first, $1) }), distance(first, closest) <= 2 else {
            return
                "error: unknown command '\(shown)'. The commands are: \(commands.filter { $0 != "help" }.joined(separator: ", ")) (see pds-auth --help)."
        }
        return "error: unknown command '\(shown)'. Did you mean '\(closest)'?"
    }

    /// Levenshtein distance: insertions, deletions and substitutions, each costing 1.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// `pds-auth exit-codes` (and `pds-auth help exit-codes`): what each exit status means, so
/// `pds-auth --help` can start with the commands.
struct ExitCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit-codes",
        abstract: "What pds-auth's exit statuses mean (exec exits with its program's status instead).",
        discussion: ExitStatus.helpText)

    func run() {
        CommandIO.current.output(Array((ExitStatus.helpText + "\n").utf8))
    }
}
