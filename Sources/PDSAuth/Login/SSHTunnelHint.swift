/// Over SSH the browser runs on the user's own machine and cannot reach this machine's
/// loopback listener. Forwarding the redirect port with `ssh -L` makes the normal flow work
/// unchanged (paste-back is the other way).
package enum SSHTunnelHint {
    /// The command to run on the user's machine, or nil when not in an SSH session.
    /// `SSH_CONNECTION` is "client-address client-port server-address server-port" (ssh(1)).
    package static func command(environment: [String: String], redirect: RedirectTarget) -> String? {
        guard let connection = environment["SSH_CONNECTION"] else { return nil }
        let fields = connection.split(separator: " ")
        guard fields.count == 4, let sshPort = Int(fields[3]) else { return nil }
        let server = Redaction.terminalSafe(String(fields[2]), limit: 64)
        let user = (environment["USER"] ?? environment["LOGNAME"]).map { Redaction.terminalSafe($0, limit: 64) }
        let destination = user.map { "\($0)@\(server)" } ?? server
        // Forward to the address the listener is sure to serve (localhost means both).
        let address = redirect.host.lowercased() == "localhost" ? "127.0.0.1" : redirect.host
        let shownAddress = address.contains(":") ? "[\(address)]" : address
        let portOption = sshPort == 22 ? "" : " -p \(sshPort)"
        return "ssh -N -L \(redirect.port):\(shownAddress):\(redirect.port)\(portOption) \(destination)"
    }
}
