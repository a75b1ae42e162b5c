import ArgumentParser
import FoundationEssentials
import PDSAuth

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what pds-auth needs (libcurl, credentials, profiles, endpoints, TLS, proxy, clock, browser, port) and print a report for a bug report.",
        discussion: """
            Changes nothing: no file is written or narrowed, no browser started, and the \
            redirect port is bound for a moment only. Each endpoint gets one HEAD request of at \
            most 5 seconds. No token, client secret or proxy password is ever printed. Exit 0 \
            when every check passes, else the exit status of the first problem.
            """)

    @Option(help: "Reach this base URL instead of each profile's endpoint.")
    var endpoint: String?

    @Option(help: "PEM file of CA certificates to trust (else CURL_CA_BUNDLE, SSL_CERT_FILE, the system store).")
    var cacert: String?

    @Option(name: .customLong("redirect-uri"), help: "The redirect URI whose port to try (default \(RedirectTarget.defaultURI)).")
    var redirectURI: String?

    @Flag(help: "JSON on stdout (README \"JSON output\").")
    var json = false

    func validate() throws {
        do throws(PDSAuthError) { _ = try redirect() } catch { throw ValidationError(error.message) }
    }

    func redirect() throws(PDSAuthError) -> RedirectTarget {
        try RedirectTarget(parsing: redirectURI ?? RedirectTarget.defaultURI)
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment)
        var problem: PDSAuthError?
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let diagnosis = await Diagnosis.run(Diagnosis.Settings(environment: environment, endpoint: endpoint, caBundle: cacert, redirect: try redirect()))
            terminal.out(json ? JSONOutput.text(DoctorOutput(diagnosis), pretty: terminal.stdoutIsTTY) : DoctorReport(terminal: terminal).text(diagnosis))
            problem = diagnosis.firstProblem
        }
        // The whole report is printed first; then the first problem decides.
        if let problem { throw ExitCode(ExitStatus(problem.code).rawValue) }
    }
}
