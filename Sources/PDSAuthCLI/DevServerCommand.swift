import ArgumentParser
import Logging
import PDSAuth
import PDSDevServer

struct DevServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-server",
        abstract: "Run the built-in PDS-compatible authorization server on loopback (for development and tests).")

    @Option(help: "Loopback address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 = any free port).")
    var port = 8780

    @Option(name: .customLong("redirect-uri"), help: "Redirect URI(s) the demo apps register.")
    var redirectURIs: [String] = [RedirectTarget.defaultURI]

    @Option(name: .customLong("jwt-key-out"), help: "Write the demo JWT app's generated private key here (0600), for `pds-auth jwt --private-key`.")
    var jwtKeyOut: String?

    @Option(help: ArgumentHelp("Make POST /v2/oauth/token misbehave: \(DevServerFault.argumentForms).",
                               discussion: "For testing scripts and retry settings against a broken endpoint. Requests are not processed (codes and refresh tokens stay valid), except with delay and slow."))
    var fault: String?

    @Option(name: .customLong("fault-times"), help: "How many token requests get --fault (default: all).")
    var faultTimes = Int.max

    @Flag(name: .customLong("accept-missing-domain-id"),
          help: ArgumentHelp("Accept authorize and token requests without domain_id, as the PDS references before their 2026 revision describe.",
                             discussion: "By default domain_id is required, as the current PDS Authorize and Token references list it. A domain_id naming another domain is refused either way."))
    var acceptMissingDomainID = false

    @Flag(help: "Log every request (never secrets).")
    var verbose = false

    func validate() throws {
        if let fault, DevServerFault(argument: fault) == nil {
            throw ValidationError("--fault \(fault) is not one of: \(DevServerFault.argumentForms)")
        }
        guard faultTimes > 0 else { throw ValidationError("--fault-times must be positive") }
    }

    func run() async throws {
        let terminal = Terminal(environment: [:])
        var configuration = DevServerConfiguration.demo(redirectURIs: redirectURIs, port: port)
        configuration.host = host
        configuration.requiresDomainID = !acceptMissingDomainID
        do {
            var logger = Logger(label: "pds-dev-server")
            logger.logLevel = verbose ? .debug : .notice
            let server = try DevServer(configuration: configuration, logger: logger)
            if let fault = fault.flatMap(DevServerFault.init(argument:)) {
                await server.faults.set(fault, times: faultTimes)
                terminal.say("Token requests will fail with \(fault) (\(faultTimes == .max ? "every time" : "\(faultTimes) times")).")
            }
            if let jwtKeyOut, let pem = server.generatedJWTPrivateKeyPEM {
                try KeyFileWriter.write(pem, to: jwtKeyOut)
                terminal.say("Wrote the JWT demo app's private key to \(jwtKeyOut)")
            }
            try await CancellableRun.run(terminal: terminal) { () throws(PDSAuthError) in
                do {
                    try await server.run { baseURL in terminal.say(server.summary(baseURL: baseURL)) }
                } catch {
                    throw PDSAuthError(.listenerUnavailable, code: "dev_server", "The dev server stopped: \(error)")
                }
            }
        } catch let error as PDSAuthError {
            if error.status == .interrupted || error.status == .terminated { return }
            terminal.report(error)
            throw ExitCode(error.status.rawValue)
        } catch {
            terminal.report(PDSAuthError(.configuration, code: "dev_server", "The dev server could not start: \(error)"))
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
    }
}
