import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

@testable import PDSAuthCLI

/// One exit status for every command-line mistake (2), one for bad configuration from the
/// environment (3), and no input that ends the process by a signal.
@Suite struct CommandLineTests {
    static let commands = ["login", "jwt", "token", "refresh", "status", "switch", "logout", "doctor", "dev-server", "store", "import", "export"]

    @Test(arguments: commands)
    func anUnknownOptionExitsTwo(_ command: String) async throws {
        let result = try await InProcessCLI.run([command, "--no-such-option"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        #expect(result.status == 2, "\(command): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "one style for parser and runtime errors: \(result.stderr)")
        #expect(!result.stderr.contains("Error:"))
    }

    static let absurd = ["0", "-1", "9223372036854775800", "99999999999999999999", "inf", "nan", "1e30", "abc", ""]

    /// Every numeric option of every command, with values no range allows.
    static let numericOptions: [(command: [String], option: String, valid: ClosedRange<Int>)] = [
        (["login", "--dev", "--no-browser"], "--timeout", 1...86400),
        (["token"], "--min-valid", 0...86400),
        (["jwt", "--domain-id", "d", "--client-id", "c", "--private-key", "/nonexistent"], "--lifetime", 1...3600),
        (["jwt", "--domain-id", "d", "--client-id", "c", "--private-key", "/nonexistent"], "--clock-skew", 0...600),
        (["dev-server"], "--port", 0...65535),
        (["login", "--dev", "--no-browser"], "--dev-port", 0...65535),
        (["dev-server", "--fault", "drop"], "--fault-times", 1...1_000_000),
        (["import", "--profile", "p"], "--timeout", 1...600),
    ]

    @Test func absurdNumbersOnTheCommandLineExitTwoNeverBySignal() async throws {
        for (command, option, valid) in Self.numericOptions {
            for value in Self.absurd where Int(value).map({ !valid.contains($0) }) ?? true {
                let result = try await InProcessCLI.run(command + ["\(option)=\(value)"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
                #expect(result.status == 2, "\(command[0]) \(option)=\(value): \(result.status) \(result.stderr)")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
            }
        }
    }

    @Test func stateDirectoryMistakesExitTwo() async throws {
        for arguments in [["--state-dir", "relative/dir"], ["--state-dir", "/tmp/x", "--no-state"]] {
            let result = try await InProcessCLI.run(["dev-server", "--port", "0"] + arguments, environment: [:])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
    }

    @Test func absurdFaultValuesExitTwo() async throws {
        for fault in [
            "delay=inf", "delay=-1", "delay=1e30", "status=99999999999999999999", "status=200", "status=503:-1", "oversized=1", "slow=0", "nope",
        ] {
            let result = try await InProcessCLI.run(["dev-server", "--fault", fault], environment: [:])
            #expect(result.status == 2, "--fault \(fault): \(result.stderr)")
        }
    }

    /// The environment is configuration: a bad value is exit 3 with the variable's name,
    /// never ignored, never a crash.
    @Test func absurdHTTPTimeoutsFromTheEnvironmentExitThree() async throws {
        for value in Self.absurd + ["3601", "-5", "0x10", "2s"] {
            let result = try await InProcessCLI.run(
                ["token"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "PDS_AUTH_HTTP_TIMEOUT": value])
            #expect(result.status == 3, "PDS_AUTH_HTTP_TIMEOUT=\(value): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("PDS_AUTH_HTTP_TIMEOUT"))
        }
    }

    /// `PDS_AUTH_STORE` names a store or is an error (exit 3), reported before a sign-in or an
    /// import starts; never read as "file".
    @Test func unknownStoresFromTheEnvironmentExitThree() async throws {
        for value in Self.absurd.filter({ !$0.isEmpty }) + ["File", "secret_service", "keychain", "file "] {
            let result = try await InProcessCLI.run(
                ["import", "--profile", "p"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "PDS_AUTH_STORE": value])
            #expect(
                result.status == 3 && result.stderr.contains("PDS_AUTH_STORE") && result.stdout.isEmpty,
                "PDS_AUTH_STORE=\(value): \(result.status) \(result.stderr)")
        }
        let flag = try await InProcessCLI.run(
            ["import", "--profile", "p", "--store", "keychain"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        #expect(flag.status == 2, "\(flag.stderr)")
    }

    /// `pds-auth token | head -c0`: a closed stdout is exit 14 with a word on stderr, not a
    /// silent death by SIGPIPE.
    @Test func aClosedStdoutIsExitFourteen() async throws {
        let home = TemporaryDirectory()
        let profile = try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: "a-valid-token", refreshToken: nil)
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        // A pipe whose reading end is closed before pds-auth starts: every write is EPIPE.
        let script = """
            import os, subprocess, sys
            r, w = os.pipe(); os.close(r)
            p = subprocess.run([sys.argv[1], "token"], stdout=w, stderr=subprocess.PIPE)
            print("status=%d" % p.returncode); print(p.stderr.decode())
            p = subprocess.run([sys.argv[1], "token"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(), close_fds=True,
                               preexec_fn=lambda: os.close(1))
            print("closed=%d" % p.returncode); print(p.stderr.decode())
            """
        let result = try await ChildTool.run("/usr/bin/python3", ["-c", script, CLIProcess.binary()], environment: ["PDS_AUTH_HOME": home.path])
        #expect(result.output.contains("status=14"), "\(result.output)")
        #expect(result.output.contains("standard output was closed"))
        // Started with no stdout at all: still exit 14, and nothing written into a file that
        // happened to get descriptor 1.
        #expect(result.output.contains("closed=14"), "\(result.output)")
        #expect(try CredentialStore(directory: home.path).profile("p")?.accessToken == "a-valid-token")
    }

    /// Issue 17: an unknown command gets "did you mean"; `--client-secret` (absent on purpose)
    /// points at the supported ways and never prints the value back; help starts with the
    /// commands, exit codes have their own page; `exec --help` is help, not a program.
    @Test func mistakesOnTheCommandLineAreExplained() async throws {
        let environment = ["PDS_AUTH_HOME": TemporaryDirectory().path]
        let typo = try await InProcessCLI.run(["logn", "--dev"], environment: environment)
        #expect(typo.status == 2 && typo.stderr == "error: unknown command 'logn'. Did you mean 'login'?\n", "\(typo.stderr)")
        let unknown = try await InProcessCLI.run(["frobnicate"], environment: environment)
        #expect(unknown.status == 2 && unknown.stderr.contains("The commands are: login, jwt"), "\(unknown.stderr)")
        for form in [["--client-secret", "hunter2-secret"], ["--client-secret=hunter2-secret"]] {
            let secret = try await InProcessCLI.run(["login", "--domain-id", "bj1", "--client-id", "c"] + form, environment: environment)
            #expect(
                secret.status == 2 && secret.stderr.contains("PDS_CLIENT_SECRET") && secret.stderr.contains("--client-secret-file"),
                "\(secret.stderr)")
            #expect(!secret.stderr.contains("hunter2"), "the secret is never printed back")
        }
        let passedOn = try await CLIProcess.run(["exec", "--", "/bin/echo", "--client-secret"], environment: environment)
        #expect(passedOn.status != 2 || !passedOn.stderr.contains("on purpose"), "after --, words are the program's")
        let help = try await CLIProcess.run(["--help"], environment: environment)
        let firstLines = help.stdout.split(separator: "\n").prefix(12).joined(separator: "\n")
        #expect(firstLines.contains("SUBCOMMANDS") || firstLines.contains("USAGE"), "\(help.stdout)")
        #expect(!help.stdout.contains("\t13\t") && help.stdout.contains("pds-auth help exit-codes"), "\(help.stdout)")
        let codes = try await InProcessCLI.run(["exit-codes"], environment: environment)
        #expect(codes.status == 0 && ExitStatus.allCases.allSatisfy { codes.stdout.contains("  \($0.rawValue)\t\($0.meaning)") }, "\(codes.stdout)")
        let execHelp = try await CLIProcess.run(["exec", "--help"], environment: environment)
        #expect(execHelp.status == 0 && execHelp.stdout.contains("USAGE: pds-auth exec"), "\(execHelp.stdout)\(execHelp.stderr)")
    }

    /// Examples in help are laid out to fit 80 columns, so none is wrapped in the middle of a
    /// command line.
    @Test(arguments: ["token", "exec", "api", "login", "jwt", "status", "dev-server", "refresh", "logout"])
    func helpExamplesFitEightyColumns(command: String) async throws {
        let help = try await CLIProcess.run([command, "--help"], environment: ["COLUMNS": "80"])
        for line in help.stdout.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("  -") && line.count > 80 {
            Issue.record("\(command): \(line)")
        }
    }
}
