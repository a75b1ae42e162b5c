import ArgumentParser
import FoundationEssentials
import PDSAuth

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Check what pds-auth needs (libcurl, credentials, profiles, endpoints, TLS, proxy, clock, browser, port) and print a report for a bug report.",
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
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment)
        var problem: PDSAuthError?
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let diagnosis = await Diagnosis.run(
                Diagnosis.Settings(environment: environment, endpoint: endpoint, caBundle: cacert, redirect: try redirect()))
            terminal.out(
                json ? JSONOutput.text(DoctorOutput(diagnosis), pretty: terminal.stdoutIsTTY) : DoctorReport(terminal: terminal).text(diagnosis))
            problem = diagnosis.firstProblem
        }
        // The whole report is printed first; then the first problem decides.
        if let problem { throw ExitCode(ExitStatus(problem.code).rawValue) }
    }
}

/// `doctor`'s report for people: one line per check (a mark, what, how it went), its facts
/// indented beneath, and for a problem the error and what to do about it; last, the verdict
/// and the exit status. The library made every value terminal-safe already; it is done once
/// more here, where the text meets the terminal, so no later check can forget it.
struct DoctorReport {
    let terminal: Terminal

    func text(_ diagnosis: Diagnosis) -> String {
        var lines: [String] = []
        for check in diagnosis.checks {
            let name = check.check.replacing("_", with: " ") + (check.subject.map { " \($0)" } ?? "")
            lines.append("\(mark(check.status)) \(Redaction.terminalSafe(name, limit: 400)): \(Redaction.terminalSafe(check.summary, limit: 2000))")
            for fact in check.facts { lines.append("    \(fact.label): \(Redaction.terminalSafe(fact.shown, limit: 4000))") }
            if let problem = check.problem {
                lines.append("    error: \(Redaction.terminalSafe(problem.description, limit: 1200))")
                if let hint = ErrorAdvice.hint(for: problem, command: "doctor", profile: problem.profile) { lines.append("    what to do: \(hint)") }
            }
        }
        lines.append("")
        lines.append(verdict(diagnosis))
        return lines.joined(separator: "\n")
    }

    func verdict(_ diagnosis: Diagnosis) -> String {
        guard let first = diagnosis.firstProblem else { return terminal.green("All checks passed.") }
        let status = ExitStatus(first.code)
        let count = diagnosis.problemCount == 1 ? "1 problem" : "\(diagnosis.problemCount) problems"
        return terminal.red("\(count) found.") + " Exit status \(status.rawValue) (the first): \(status.meaning)."
    }

    func mark(_ status: DiagnosisCheck.Status) -> String {
        switch status {
        case .ok: terminal.green("✓")
        case .note: terminal.yellow("!")
        case .problem: terminal.red("✗")
        case .skipped: terminal.dim("-")
        }
    }
}

/// `doctor --json` (README "JSON output"): the verdict, and every check with its facts and,
/// for a problem, the error's code, message, details, exit status and advice.
struct DoctorOutput: Encodable {
    var version = PDSAuthVersion.current
    var ok: Bool
    var exit_status: Int32
    var checks: [Check]

    struct Check: Encodable {
        var check: String
        var subject: String?
        var status: DiagnosisCheck.Status
        var summary: String
        var facts: [String: JSONValue]
        var problem: Problem?
    }

    struct Problem: Encodable {
        var code: String
        var message: String
        var details: [String: String]?
        var exit_status: Int32
        var advice: String?
    }

    init(_ diagnosis: Diagnosis) {
        ok = diagnosis.firstProblem == nil
        exit_status = diagnosis.firstProblem.map { ExitStatus($0.code).rawValue } ?? 0
        checks = diagnosis.checks.map { check in
            Check(
                check: check.check, subject: check.subject, status: check.status, summary: check.summary,
                facts: Dictionary(check.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
                problem: check.problem.map { error in
                    Problem(
                        code: error.code.description, message: error.message, details: Self.details(error),
                        exit_status: ExitStatus(error.code).rawValue,
                        advice: ErrorAdvice.hint(for: error, command: "doctor", profile: error.profile))
                })
        }
    }

    /// The error's shown details (typed facts and free-form lines) as one object.
    static func details(_ error: PDSAuthError) -> [String: String]? {
        let shown = error.shownDetails
        return shown.isEmpty ? nil : Dictionary(shown.map { ($0.label, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
