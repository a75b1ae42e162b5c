import FoundationEssentials
import Glibc

/// How `login` would reach a browser: the openers `BrowserLauncher` would try, in its
/// order, and which of them exist on PATH; whether this is WSL or an SSH session, and then
/// the exact port forward `login` would print (`SSHTunnelHint`). Nothing is started.
enum BrowserCheck {
    /// Stands for the address in the commands shown (it is a private file URL at sign-in).
    static let placeholder = "URL"

    static func opener(environment: [String: String]) -> DiagnosisCheck {
        let launcher = BrowserLauncher(environment: environment)
        let commands = launcher.candidates(for: placeholder)
        let found = commands.map { find($0.first ?? "", path: environment["PATH"]) }
        var check = DiagnosisCheck("browser", summary: "")
        check.fact("browser_variable", environment["BROWSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "not set", limit: 300)
        check.fact("openers", JSONValue.array(zip(commands, found).map { command, path in
            .string(Redaction.terminalSafe(command.joined(separator: " "), limit: 300) + " — " + (path.map { "found: \(Redaction.terminalSafe($0, limit: 300))" } ?? "not found on PATH"))
        }))
        check.fact("display", ["DISPLAY", "WAYLAND_DISPLAY"].compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : "\(name)=\(Redaction.terminalSafe($0, limit: 64))" } }.first ?? "none")
        if let first = zip(commands, found).first(where: { $0.1 != nil }) {
            check.summary = "would open the sign-in page with \(Redaction.terminalSafe(first.0.joined(separator: " "), limit: 300))"
        } else {
            check.note("no browser opener found: `pds-auth login` prints the address to open instead (or use --paste on a remote machine)")
        }
        return check
    }

    static func remote(environment: [String: String], redirect: RedirectTarget) -> DiagnosisCheck {
        let wsl = BrowserLauncher(environment: environment).isWSL
        let tunnel = SSHTunnelHint.command(environment: environment, redirect: redirect)
        var check = DiagnosisCheck("remote", summary: "")
        check.fact("wsl", wsl)
        check.fact("ssh", environment["SSH_CONNECTION"] != nil)
        check.fact("ssh_tunnel", tunnel)
        switch (tunnel, wsl) {
        case (let tunnel?, _): check.summary = "an SSH session: for a browser on your own machine, run there: \(tunnel)"
        case (nil, true): check.summary = "Windows Subsystem for Linux: the browser is opened with wslview when it is installed"
        case (nil, false): check.summary = environment["SSH_CONNECTION"] != nil ? "an SSH session (SSH_CONNECTION unreadable)" : "a local session"
        }
        return check
    }

    /// Where `command` would be found, as posix_spawnp looks (each PATH entry, or the name
    /// itself when it holds a slash); nil when nowhere.
    static func find(_ command: String, path: String?) -> String? {
        guard !command.isEmpty else { return nil }
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        for directory in (path ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
