
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
            BlockingThread.start { var final: Int32 = 0; waitpid(pid, &final, 0) }
            return true
        }
    }

    static func spawn(_ argv: [String]) -> pid_t? {
        try? ProcessSpawner.spawn(argv, silent: true).get()
    }
}
