import Glibc
import PDSAuth
import PDSDevServer

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
              let profile = (try? CredentialStore(directory: directory).profile(name)) ?? nil, let state = profile.devServer else { return nil }
        // The directory comes from the credentials file, which may have been edited by hand.
        let command = Redaction.terminalSafe(startCommand(port: profile.endpoints.base.port, stateDirectory: state, environment: environment), limit: 600)
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
