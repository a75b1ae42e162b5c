import ArgumentParser
import FoundationEssentials
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

    @Option(help: ArgumentHelp("Make POST /v2/oauth/token misbehave: \(DevServerFault.argumentForms).",
                               discussion: "For testing scripts and retry settings against a broken endpoint. Requests are not processed (codes and refresh tokens stay valid), except with delay and slow."))
    var fault: String?

    @Option(name: .customLong("fault-times"), help: "How many token requests get --fault (1–1000000; default: all).")
    var faultTimes: Int?

    @Flag(name: .customLong("accept-missing-domain-id"),
          help: ArgumentHelp("Accept authorize and token requests without domain_id, as the PDS references before their 2026 revision describe.",
                             discussion: "By default domain_id is required, as the current PDS Authorize and Token references list it. A domain_id naming another domain is refused either way."))
    var acceptMissingDomainID = false

    @Flag(help: "Log every request (never secrets).")
    var verbose = false

    @Option(name: .customLong("state-dir"), help: ArgumentHelp(
        "Keep keys, client secrets and issued tokens here across restarts (default: $PDS_AUTH_HOME/dev-server, else $XDG_STATE_HOME/pds-auth/dev-server, else ~/.local/state/pds-auth/dev-server).",
        discussion: "A profile made with `login --dev` keeps working against a later `pds-auth dev-server` using the same directory. One server per directory."))
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
        let terminal = Terminal(command: Self.configuration.commandName, environment: ProcessInfo.processInfo.environment)
        var configuration = DevServerConfiguration.demo(redirectURIs: redirectURIs, port: port)
        configuration.host = host
        configuration.requiresDomainID = !acceptMissingDomainID
        configuration.stateDirectory = noState ? nil : stateDirectory ?? DevServerHome.directory(ProcessInfo.processInfo.environment)
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
