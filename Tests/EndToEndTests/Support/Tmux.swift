import Foundation
import PDSAuthTestSupport

/// A real pseudo-terminal for tests: a private tmux server (its socket in a temp dir) with
/// one pane running a command; keys are typed into it and the screen is read back.
struct Tmux {
    let directory: TemporaryDirectory
    var socket: String { directory.path + "/tmux.sock" }
    var statusFile: String { directory.path + "/exit-status" }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    init(directory: TemporaryDirectory) { self.directory = directory }

    /// Runs `body` with a fresh tmux server, which is killed afterwards (with the pane).
    static func with(_ directory: TemporaryDirectory, _ body: (Tmux) async throws -> Void) async throws {
        let tmux = Tmux(directory: directory)
        do {
            try await body(tmux)
        } catch {
            await tmux.stop()
            throw error
        }
        await tmux.stop()
    }

    /// Starts `argv` with `environment` in a 160×50 pane. The wrapper records the exit
    /// status and keeps the pane open; its INT trap keeps it alive when Ctrl-C reaches the
    /// whole foreground group, so the status is written. `afterwards` runs in the pane once
    /// the command has exited (and before the status is written).
    func start(_ argv: [String], environment: [String: String], afterwards: String = ":") async throws {
        let assignments = environment.map { "\($0.key)=\(Self.quote($0.value))" }.sorted().joined(separator: " ")
        let command = argv.map(Self.quote).joined(separator: " ")
        let script = "trap : INT; env -i \(assignments) \(command); status=$?; \(afterwards); echo $status > \(Self.quote(statusFile)); sleep 600"
        try await tmux(["new-session", "-d", "-s", "t", "-x", "160", "-y", "50", "bash -c \(Self.quote(script))"])
    }

    /// The pane's text, wrapped lines joined; with `escapes`, colours and attributes as SGR.
    func screen(escapes: Bool = false) async throws -> String {
        try await tmux(["capture-pane", "-p", "-J", "-t", "t"] + (escapes ? ["-e"] : []))
    }

    func type(_ text: String) async throws { try await tmux(["send-keys", "-t", "t", "-l", text]) }
    func press(_ key: String) async throws { try await tmux(["send-keys", "-t", "t", key]) }

    /// Waits until the screen matches `pattern`; returns the first capture group (or match).
    func waitFor(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        var text = ""
        let found = try await waitForValue(timeout: timeout, polling: .milliseconds(50)) {
            text = try await screen()
            return CLIProcess.firstMatch(regex, in: text)
        }
        guard let found else { throw CLIProcessError(message: "no match for \(pattern) on screen:\n\(text)") }
        return found
    }

    /// The command's exit status, once it has exited.
    func exitStatus(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let status = try await waitForValue(timeout: timeout, polling: .milliseconds(50)) {
            (try? String(contentsOfFile: statusFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard let status else { throw CLIProcessError(message: "the command did not exit; screen:\n\((try? await screen()) ?? "")") }
        return status
    }

    func stop() async { _ = try? await tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let result = try await ChildTool.run(
            "/usr/bin/tmux", ["-u", "-S", socket, "-f", "/dev/null"] + arguments,
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm-256color", "TMUX_TMPDIR": directory.path])
        guard result.status == 0 else { throw CLIProcessError(message: "tmux \(arguments.first ?? ""): \(result.output)") }
        return result.output
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
