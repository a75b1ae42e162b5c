import FoundationEssentials
import Glibc
import PDSShared

/// Opens a URL in the user's browser: `$BROWSER` (a `:`-separated list of commands, `%s`
/// standing for the URL, as Python's webbrowser and xdg-utils read it), then `wslview` under
/// WSL (where xdg-open usually has no Windows browser to hand the URL to), then `xdg-open`.
/// A failure is never an error: the caller prints the URL anyway. Only the local start
/// page URL is ever passed, so no secret appears in the child's arguments.
package struct BrowserLauncher: Sendable {
    package var environment: [String: String]
    /// Running under Windows Subsystem for Linux.
    package var isWSL: Bool

    /// - Parameter kernelVersion: `/proc/version`'s text (read when nil); WSL kernels name
    ///   Microsoft there, and `WSL_DISTRO_NAME` is set in WSL shells.
    package init(environment: [String: String], kernelVersion: String? = nil) {
        self.environment = environment
        let kernel = kernelVersion ?? Self.readKernelVersion()
        isWSL = environment["WSL_DISTRO_NAME"] != nil || kernel.lowercased().contains("microsoft")
    }

    static func readKernelVersion() -> String {
        guard let file = fopen("/proc/version", "r") else { return "" }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        guard fgets(&line, 512, file) != nil else { return "" }
        return String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The commands that would be tried, in order.
    package func candidates(for url: String) -> [[String]] {
        var commands: [[String]] = []
        if let browser = environment["BROWSER"], !browser.isEmpty {
            for entry in browser.split(separator: ":") where !entry.isEmpty {
                let words = entry.split(separator: " ").map(String.init)
                commands.append(words.contains { $0.contains("%s") } ? words.map { $0.replacing("%s", with: url) } : words + [url])
            }
        }
        if isWSL { commands.append(["wslview", url]) }
        commands.append(["xdg-open", url])
        return commands
    }

    /// Tries each candidate until one starts and does not fail within a moment.
    package func open(_ url: String) async -> Bool {
        for command in candidates(for: url) {
            if await Self.launch(command) { return true }
        }
        return false
    }

    /// Spawns `argv` with output discarded; true when it is still running after 1.5 s or
    /// exited 0 (xdg-open returns quickly once the browser has the URL).
    static func launch(_ argv: [String]) async -> Bool {
        guard let pid = Self.spawn(argv) else { return false }
        return await BlockingThread.run {
            var status: Int32 = 0
            for _ in 0..<75 {
                if waitpid(pid, &status, WNOHANG) == pid { return (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0 }
                usleep(20_000)
            }
            // Still running (a browser that stays in the foreground): reap it whenever it exits.
            BlockingThread.start {
                var final: Int32 = 0
                waitpid(pid, &final, 0)
            }
            return true
        }
    }

    static func spawn(_ argv: [String]) -> pid_t? {
        try? ProcessSpawner.spawn(argv, silent: true).get()
    }
}

/// A local HTML page that sends the browser on to a URL carrying a secret (the start page's
/// key), so that the secret never appears on a command line: any local user can read every
/// process's arguments (`/proc/PID/cmdline`), and a browser keeps the URL it was started
/// with in its own. The browser is given this file's `file://` URL instead; the file is
/// 0600 in a `PrivateDirectory` and is removed when the sign-in ends. (Jupyter opens
/// its token-bearing URL the same way, for the same reason.)
package final class RedirectFile: Sendable {
    let privateDirectory: PrivateDirectory
    package var directory: String { privateDirectory.path }
    package var path: String { privateDirectory.path + "/" + Self.fileName }

    static let fileName = "sign-in.html"

    /// Nil when no private directory can be made (the caller prints the URL instead).
    package init?(target url: String, roots: TemporaryRoot.Choice) {
        guard let made = try? PrivateDirectory(purpose: "login", roots: roots) else { return nil }
        privateDirectory = made
        let escaped = url.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">\
            <meta http-equiv="refresh" content="0;url=\(escaped)"><title>pds-auth</title></head>\
            <body><p><a href="\(escaped)">Continue to the pds-auth sign-in page</a></p></body></html>

            """
        do {
            try made.write(Array(html.utf8), to: Self.fileName)
        } catch {
            made.remove()
            return nil
        }
    }

    /// The `file://` URL to hand to a browser.
    package var fileURL: String { "file://" + path }

    @discardableResult
    package func remove() -> PrivateDirectory.Removal { privateDirectory.remove() }

    deinit { remove() }
}

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
