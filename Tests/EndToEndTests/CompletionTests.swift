import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// Shell completion offers the saved profile names for `--profile` (every command that has
/// it) and for `switch NAME`, in real shells running the scripts pds-auth generates (the
/// installed ones when `PDS_AUTH_INSTALLED` is set): bash by calling its completion function
/// as bash would, zsh and fish by pressing Tab in an interactive shell in tmux. The names come
/// from `pds-auth ---completion …`, which prints nothing else and never fails aloud.
@Suite struct CompletionTests {
    static let commandsWithProfile = ["login", "jwt", "token", "api", "exec", "refresh", "status", "logout"]

    /// A credentials directory with profiles `dev`, `dev-2` and `work`, and one whose name no
    /// command accepts (`bad name;x`, written by hand): it must never reach a command line.
    static func home() async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        for name in ["work", "dev", "dev-2", "placeholder"] {
            try await store.save(try StoredProfile.fixture(endpoint: "http://127.0.0.1:9", accessToken: "t-\(name)"), as: name)
        }
        let path = home.file("credentials.json")
        try String(contentsOfFile: path, encoding: .utf8).replacing("\"placeholder\"", with: "\"bad name;x\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        #expect(try CredentialStore(directory: home.path).load().names == ["bad name;x", "dev", "dev-2", "work"])
        return home
    }

    /// The completion script for `shell`: the installed one, or what the binary writes.
    static func script(_ shell: String, into directory: TemporaryDirectory) async throws -> String {
        let installed = [
            "bash": "share/bash-completion/completions/pds-auth", "zsh": "share/zsh/site-functions/_pds-auth",
            "fish": "share/fish/vendor_completions.d/pds-auth.fish",
        ]
        let path = directory.file(shell == "zsh" ? "_pds-auth" : "pds-auth.\(shell)")
        if let prefix = CLIProcess.installedPrefix {
            try FileManager.default.copyItem(atPath: prefix + "/" + installed[shell]!, toPath: path)
        } else {
            let generated = try await CLIProcess.run(["--generate-completion-script", shell], environment: [:])
            #expect(generated.status == 0, "\(generated.stderr)")
            try generated.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// A directory holding `pds-auth` (the binary under test), for the shells' PATH: the
    /// scripts run `pds-auth ---completion …` by name, as a user's shell would.
    static func binDirectory() throws -> TemporaryDirectory {
        let bin = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: bin.file("pds-auth"), withDestinationPath: CLIProcess.binary())
        return bin
    }

    /// bash: the generated function, called with COMP_WORDS/COMP_CWORD as bash calls it on Tab.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func bashOffersProfileNames() async throws {
        let home = try await Self.home()
        let bin = try Self.binDirectory()
        let script = try await Self.script("bash", into: bin)
        func complete(_ words: [String]) async throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let line = words.joined(separator: " ")
            let program = """
                source \(script)
                COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
                _pds-auth pds-auth '\(words[words.count - 1])' '\(words[words.count - 2])'
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let result = try await ChildTool.run(
                "/bin/bash", ["--norc", "--noprofile", "-c", program],
                environment: ["PATH": "\(bin.path):/usr/bin:/bin", "PDS_AUTH_HOME": home.path])
            #expect(result.status == 0, "\(result.output)")
            return result.output.split(separator: "\n").map(String.init)
        }
        #expect(try await complete(["pds-auth", "switch", ""]) == ["dev", "dev-2", "work"])
        #expect(try await complete(["pds-auth", "switch", "w"]) == ["work"])
        for command in Self.commandsWithProfile {
            #expect(try await complete(["pds-auth", command, "--profile", "d"]) == ["dev", "dev-2"], "\(command) --profile")
        }
    }

    /// zsh and fish: an interactive shell in a real terminal, Tab pressed after
    /// `pds-auth switch ` and after `--profile `; the screen lists the names.
    @Test(.enabled(if: Tmux.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh"), "needs tmux and zsh"))
    func zshOffersProfileNames() async throws {
        let home = try await Self.home()
        let bin = try Self.binDirectory()
        let functions = TemporaryDirectory()
        _ = try await Self.script("zsh", into: functions)
        try await Tmux.with(TemporaryDirectory()) { tmux in
            try await tmux.start(
                ["zsh", "-f"],
                environment: [
                    "PATH": "\(bin.path):/usr/bin:/bin", "PDS_AUTH_HOME": home.path, "TERM": "xterm-256color",
                    "HOME": home.path, "LANG": "C.UTF-8",
                ])
            try await tmux.type("fpath=(\(functions.path) $fpath); autoload -Uz compinit; compinit -u -D; echo ready\n")
            _ = try await tmux.waitFor("\\nready")
            try await Self.offersNames(tmux)
        }
    }

    @Test(.enabled(if: Tmux.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/fish"), "needs tmux and fish"))
    func fishOffersProfileNames() async throws {
        let home = try await Self.home()
        let bin = try Self.binDirectory()
        let script = try await Self.script("fish", into: bin)
        try await Tmux.with(TemporaryDirectory()) { tmux in
            try await tmux.start(
                ["fish", "-N"],
                environment: [
                    "PATH": "\(bin.path):/usr/bin:/bin", "PDS_AUTH_HOME": home.path, "TERM": "xterm-256color",
                    "HOME": home.path, "XDG_CONFIG_HOME": home.path, "LANG": "C.UTF-8",
                ])
            try await tmux.type("source \(script); echo ready\n")
            _ = try await tmux.waitFor("\\nready")
            try await Self.offersNames(tmux)
        }
    }

    /// For each command line: a cleared screen, the line typed, Tab pressed; the names must be
    /// listed (zsh in columns, fish one per line) and the bad one never.
    static func offersNames(_ tmux: Tmux) async throws {
        for (index, line) in ["pds-auth switch ", "pds-auth logout --profile ", "pds-auth api --profile "].enumerated() {
            try await tmux.type("clear; echo cleared-\(index)\n")
            _ = try await tmux.waitFor("(^|\\n)cleared-\(index)\\n")
            try await tmux.type(line)
            try await tmux.press("Tab")
            _ = try await tmux.waitFor("dev\\b[\\s\\S]*dev-2[\\s\\S]*work")
            #expect(try await !tmux.screen().contains("bad name"), "\(line)")
            try await tmux.press("C-c")
        }
    }

    /// What the shells call: only the names on stdout, nothing on stderr, exit 0 — also when
    /// there is nothing to offer (no file, a relative PDS_AUTH_HOME, a FIFO, a damaged file).
    /// A file open to others is left as it is (the next real command narrows it, and says so).
    @Test func theCompletionCallPrintsOnlyNamesAndNeverFailsAloud() async throws {
        let home = try await Self.home()
        chmod(home.file("credentials.json"), 0o644)
        let call = ["---completion", "switch", "--", "positional@0", "2", "0", "pds-auth", "switch", ""]
        let names = try await CLIProcess.run(call, environment: ["PDS_AUTH_HOME": home.path])
        #expect(names.status == 0 && names.stdout == "dev\ndev-2\nwork\n" && names.stderr.isEmpty, "\(names)")
        #expect(fileMode(home.file("credentials.json")) == 0o644, "a Tab press changes nothing")
        let fifo = TemporaryDirectory()
        #expect(mkfifo(fifo.file("credentials.json"), 0o600) == 0)
        let damaged = TemporaryDirectory()
        try "{not json".write(toFile: damaged.file("credentials.json"), atomically: true, encoding: .utf8)
        for broken in [TemporaryDirectory().path + "/absent", "relative/home", fifo.path, damaged.path] {
            let result = try await CLIProcess.run(call, environment: ["PDS_AUTH_HOME": broken])
            #expect(
                result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && result.stderr.isEmpty,
                "\(broken): \(result)")
        }
    }
}
