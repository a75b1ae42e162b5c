import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import PDSAuth
import PDSDevServer

struct DevServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-server",
        abstract: "Run the built-in PDS-compatible authorization server on loopback (for development and tests).")

    @Option(help: "Loopback address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 = any free port; 0–65535).")
    var port = 8780

    @Option(name: .customLong("redirect-uri"), help: "Redirect URI(s) the demo apps register.")
    var redirectURIs: [String] = [RedirectTarget.defaultURI]

    @Option(name: .customLong("jwt-key-out"), help: "Write the demo JWT app's generated private key here (0600), for `pds-auth jwt --private-key`.")
    var jwtKeyOut: String?

    @Option(
        help: ArgumentHelp(
            "Make POST /v2/oauth/token misbehave: \(DevServerFault.argumentForms).",
            discussion:
                "For testing scripts and retry settings against a broken endpoint. Requests are not processed (codes and refresh tokens stay valid), except with delay and slow."
        ))
    var fault: String?

    @Option(name: .customLong("fault-times"), help: "How many token requests get --fault (1–1000000; default: all).")
    var faultTimes: Int?

    @Flag(
        name: .customLong("accept-missing-domain-id"),
        help: ArgumentHelp(
            "Accept authorize and token requests without domain_id, as the PDS references before their 2026 revision describe.",
            discussion:
                "By default domain_id is required, as the current PDS Authorize and Token references list it. A domain_id naming another domain is refused either way."
        ))
    var acceptMissingDomainID = false

    @Flag(help: "Log every request (never secrets).")
    var verbose = false

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Keep keys, client secrets and issued tokens here across restarts (default: $PDS_AUTH_HOME/dev-server, else $XDG_STATE_HOME/pds-auth/dev-server, else ~/.local/state/pds-auth/dev-server).",
            discussion:
                "A profile made with `login --dev` keeps working against a later `pds-auth dev-server` using the same directory. One server per directory."
        ))
    var stateDirectory: String?

    @Flag(name: .customLong("no-state"), help: "Keep nothing: fresh keys and secrets, and every issued token forgotten, at each start.")
    var noState = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        if noState, stateDirectory != nil { throw ValidationError("Give --state-dir or --no-state, not both") }
        if let stateDirectory, !stateDirectory.hasPrefix("/") { throw ValidationError("--state-dir must be an absolute path") }
        if let fault, DevServerFault(argument: fault) == nil {
            throw ValidationError("--fault \(Redaction.terminalSafe(fault, limit: 80)) is not one of: \(DevServerFault.argumentForms)")
        }
        if let faultTimes, !(1...1_000_000).contains(faultTimes) { throw ValidationError("--fault-times must be 1–1000000") }
    }

    func run() async throws {
        let terminal = Terminal(command: Self.configuration.commandName, environment: CommandIO.current.environment)
        var configuration = DevServerConfiguration.demo(redirectURIs: redirectURIs, port: port)
        configuration.host = host
        configuration.requiresDomainID = !acceptMissingDomainID
        configuration.stateDirectory = noState ? nil : stateDirectory ?? DevServerHome.directory(CommandIO.current.environment)
        var logger = Logger(label: "pds-dev-server")
        logger.logLevel = verbose ? .debug : .notice
        let server: DevServer
        do {
            server = try DevServer(configuration: configuration, logger: logger)
        } catch .stateDirectoryInUse(let directory) {
            let running = DevServer.running(stateDirectory: directory).map { " at \($0)" } ?? ""
            terminal.report(PDSAuthError(.listenFailed, "Another dev server\(running) is running with the state directory \(directory)"))
            throw ExitCode(ExitStatus.listenerUnavailable.rawValue)
        } catch {
            terminal.report(PDSAuthError(.invalidSetting, "The dev server cannot start with this configuration: \(error)"))
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            if let fault = fault.flatMap(DevServerFault.init(argument:)) {
                await server.faults.set(fault, times: faultTimes ?? .max)
                terminal.say("Token requests will fail with \(fault) (\(faultTimes.map { "\($0) times" } ?? "every time")).")
            }
            if let jwtKeyOut, let pem = try await Self.generatedJWTPrivateKeyPEM(server) {
                try KeyFileWriter.write(pem, to: jwtKeyOut)
                terminal.say("Wrote the JWT demo app's private key to \(jwtKeyOut)")
            }
            try await CommandRunner.cancellable(unwound: "the dev server closed its port") { () throws(PDSAuthError) in
                do {
                    try await server.run { baseURL in
                        server.advertise(baseURL: baseURL)
                        terminal.say(server.summary(baseURL: baseURL))
                    }
                } catch {
                    throw ListenerServer.bindError(error, host: host, port: port)
                }
                // It returns, gracefully, only when a signal cancelled it: that is no success,
                // and the process must die of the signal like every other command.
                throw PDSAuthError(.cancelled, "The dev server stopped")
            }
        }
    }

    /// The demo JWT app's generated private key, once the server has made it.
    private static func generatedJWTPrivateKeyPEM(_ server: DevServer) async throws(PDSAuthError) -> String? {
        do {
            return try await server.generatedJWTPrivateKeyPEM
        } catch {
            throw PDSAuthError(.listenFailed, "The dev server cannot start: \(error)")
        }
    }
}

/// Where the dev server keeps what it issued (its keys, its demo apps' client secrets, the
/// tokens it issued), so that a profile made with `login --dev` keeps working against a later
/// `pds-auth dev-server`, and how to start that server again. Beside the credentials when
/// `PDS_AUTH_HOME` is set (everything pds-auth keeps moves with it), else in the XDG state
/// directory: `$XDG_STATE_HOME/pds-auth/dev-server`, `~/.local/state/pds-auth/dev-server`.
enum DevServerHome {
    /// The standard port of `pds-auth dev-server` and of `login --dev`.
    static let standardPort = 8780

    /// The default state directory; nil when no home is known (then nothing is kept).
    static func directory(_ environment: [String: String]) -> String? {
        if let home = environment["PDS_AUTH_HOME"], home.hasPrefix("/") { return home + "/dev-server" }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/pds-auth/dev-server" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/pds-auth/dev-server" }
        return nil
    }

    /// The command that starts the dev server a profile was made against: its port and state
    /// directory, each named only when it is not the default.
    static func startCommand(port: Int?, stateDirectory: String, environment: [String: String]) -> String {
        var command = "pds-auth dev-server"
        if let port, port != standardPort { command += " --port \(port)" }
        if stateDirectory != directory(environment) { command += " --state-dir " + TokenFormatter.shellQuoted(stateDirectory) }
        return command
    }

    /// The advice for a dev-server profile whose server does not answer, or nil when `error`
    /// is not that (no profile named, not made against the dev server, another failure).
    static func hint(for error: PDSAuthError, environment: [String: String]) -> String? {
        guard error.code == .unreachable || error.code == .connectionLost, let name = error.profile,
            let directory = try? StoreLocation.directory(environment: environment),
            let profile = (try? CredentialStore(directory: directory).profile(name)) ?? nil, let state = profile.devServer
        else { return nil }
        // The directory comes from the credentials file, which may have been edited by hand.
        let command = Redaction.terminalSafe(
            startCommand(port: profile.endpoints.base.port, stateDirectory: state, environment: environment), limit: 600)
        return "The dev server this profile came from is not running: start it again with `\(command)` (in another terminal), then retry."
    }

    /// Whether `port` on 127.0.0.1 is free to listen on now.
    static func isFree(_ port: Int) -> Bool {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
