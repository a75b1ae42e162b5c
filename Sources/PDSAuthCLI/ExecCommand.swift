import ArgumentParser
import FoundationEssentials
import Glibc
import PDSAuth
import UnixSignals

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a program with a working token in its environment, kept fresh in a file while it runs.",
        discussion: """
            The program gets PDS_ACCESS_TOKEN (the token at start), PDS_ACCESS_TOKEN_FILE (a \
            0600 file in a private directory, rewritten with a renewed token before the \
            current one runs out: long jobs should read it), PDS_TOKEN_EXPIRES_AT, \
            PDS_ENDPOINT, PDS_DOMAIN_ID and PDS_DRIVE_ID (when known) and PDS_AUTH_PROFILE. \
            Signals are passed on to it; pds-auth exits with its status (128+N if it died of \
            signal N; 127 if it cannot be found, 126 if it cannot be run) and removes the \
            directory.

            Examples:
              pds-auth exec -- ./sync.sh
              pds-auth exec --min-valid 600 -- python3 upload.py
              pds-auth exec -- sh -c 'curl -d {} \\
                -H "Authorization: Bearer $(cat "$PDS_ACCESS_TOKEN_FILE")" \\
                "$PDS_ENDPOINT/v2/user/get"'
            """)

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var verbosity: VerboseOption

    @Option(name: .customLong("min-valid"), help: "Renew when fewer than this many seconds of validity remain (0–86400).")
    var minValid: Int = 300

    @Argument(parsing: .captureForPassthrough, help: "The program and its arguments (after --).")
    var command: [String] = []

    func validate() throws {
        guard TokenCommand.minValidRange.contains(minValid) else { throw ValidationError("--min-valid must be 0–86400 seconds") }
        // The capture also takes `--help` and `-h`, which ask for this command's help here
        // as they do for every other command.
        if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
        if argv.isEmpty { throw ValidationError("Name the program to run: pds-auth exec -- PROGRAM [ARGUMENTS…]") }
        // Everything from the first word argument-parser does not know is captured for the
        // program; before `--`, a word that looks like an option is a mistyped one
        // (`--min-vlaid`), not a program to run.
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(Self.self) }
        if let first = command.first, first != "--", first.hasPrefix("-") {
            throw ValidationError(
                "Unknown option '\(Redaction.terminalSafe(first, limit: 60))'. Options go before --, the program after it: pds-auth exec [--min-valid S] -- PROGRAM [ARGUMENTS…]"
            )
        }
    }

    var argv: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, verbose: verbosity.verbose)
        var status: Int32 = 0
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let transport = try terminal.transport(environment)
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            let provider = TokenProvider(store: store, renewer: StandardRenewer(transport: transport))
            let profile = try await provider.validProfile(name, minValid: .seconds(minValid))
            // Signals are ours to route from before the token file exists until it is gone:
            // one that arrives in between still lets `keeper.remove()` run.
            let signals = ChildSignals()
            status = try await SignalRouter.routing(signals.receive) { () async throws(PDSAuthError) -> Int32 in
                let roots = try TemporaryRoot.choose(environment: environment) { terminal.warn($0) }
                let keeper = try TokenFileKeeper(provider: provider, profile: name, minValid: .seconds(minValid), first: profile, roots: roots)
                defer {
                    if keeper.remove() == .moved {
                        terminal.warn(
                            "the private directory \(keeper.directory) was moved or replaced while the program ran: its token file was removed, nothing at that path was touched"
                        )
                    }
                }
                if let early = signals.early { return 128 + early.rawValue }
                return await runChild(
                    environment: childEnvironment(environment, profile: profile, name: name, file: keeper.path),
                    keeper: keeper, terminal: terminal, signals: signals)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    func childEnvironment(_ base: [String: String], profile: StoredProfile, name: String, file: String) -> [String: String] {
        var environment = base
        environment["PDS_ACCESS_TOKEN"] = profile.accessToken
        environment["PDS_ACCESS_TOKEN_FILE"] = file
        environment["PDS_ENDPOINT"] = profile.endpoints.base.absoluteString
        environment["PDS_AUTH_PROFILE"] = name
        environment["PDS_DOMAIN_ID"] = profile.user?.domainID ?? profile.domainID
        environment["PDS_DRIVE_ID"] = profile.user?.defaultDriveID
        environment["PDS_TOKEN_EXPIRES_AT"] = profile.effectiveExpiry?.formatted(.iso8601)
        return environment
    }

    /// Starts the program, keeps the token file fresh, and returns the program's status
    /// when it ends; `signals` passes signals on to it meanwhile.
    func runChild(environment: [String: String], keeper: TokenFileKeeper, terminal: Terminal, signals: ChildSignals) async -> Int32 {
        let child: ChildProcess
        switch ChildProcess.spawn(argv, environment: environment) {
        case .success(let started): child = started
        case .failure(let failure):
            terminal.report(PDSAuthError(.programNotRunnable, "Cannot run \(Redaction.terminalSafe(argv[0], limit: 100)): \(failure.reason)"))
            return failure.status
        }
        // A signal that came while the program was being started has not reached it.
        if let early = signals.started(child) { child.signal(early.rawValue) }
        let refreshing = Task {
            await keeper.keepFresh { error in terminal.warn("could not renew the token for the running program: \(error.description)") }
        }
        await child.waitUntilEnded()
        signals.ended()
        refreshing.cancel()
        return await child.wait()
    }

    /// SIGINT and SIGQUIT typed at a terminal reach every process of the foreground group,
    /// the program included; passing them on again would deliver them twice.
    static func shouldForward(_ signal: UnixSignal) -> Bool {
        guard signal == .sigint || signal == .sigquit else { return true }
        return !(isatty(0) == 1 && tcgetpgrp(0) == getpgrp())
    }
}

/// A program `pds-auth exec` runs: sharing our terminal and standard streams, started as
/// `ProcessSpawner` starts every child (default signal handling, no other descriptor).
struct ChildProcess {
    let pid: pid_t

    /// Starts `argv` with `environment`; on failure, the shell's status for it (127: not
    /// found, 126: found but not runnable) and why.
    static func spawn(_ argv: [String], environment: [String: String]) -> Result<ChildProcess, SpawnFailure> {
        switch ProcessSpawner.spawn(argv, environment: environment) {
        case .success(let pid): return .success(ChildProcess(pid: pid))
        case .failure(let error): return .failure(SpawnFailure(status: error.number == ENOENT ? 127 : 126, reason: error.description))
        }
    }

    struct SpawnFailure: Error {
        var status: Int32
        var reason: String
    }

    /// Returns when the program has ended, before reaping it (see `ProcessSpawner`).
    func waitUntilEnded() async { await ProcessSpawner.waitUntilEnded(pid) }

    /// Reaps the program and returns its status as a shell reports it.
    func wait() async -> Int32 { await ProcessSpawner.wait(pid) }

    func signal(_ number: Int32) { kill(pid, number) }
}

/// The signals `exec` receives while its program runs: passed on to the program (see
/// `ExecCommand.shouldForward`); one that arrives before the program exists is kept, to end
/// `exec` before starting it or to be passed on as soon as it has started.
final class ChildSignals: Sendable {
    private let state = LockedValue<(child: ChildProcess?, early: UnixSignal?)>((nil, nil))

    func receive(_ signal: UnixSignal) {
        let child = state.update { state -> ChildProcess? in
            if state.child == nil, state.early == nil { state.early = signal }
            return state.child
        }
        if let child, ExecCommand.shouldForward(signal) { child.signal(signal.rawValue) }
    }

    var early: UnixSignal? { state.value.early }

    /// Records the running program; returns a signal that arrived before it.
    func started(_ child: ChildProcess) -> UnixSignal? {
        state.update { state in
            state.child = child
            return state.early
        }
    }

    /// The program has ended: it is about to be reaped, and then its pid may be reused, so
    /// nothing is passed on from now on.
    func ended() {
        state.update { $0.child = nil }
    }
}
