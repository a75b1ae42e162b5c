import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth exec`: a program run with a working token, kept fresh in a file.
@Suite struct ExecCLITests {
    @Test func theEnvironmentAndTheFileHoldWhatTokenPrints() async throws {
        try await DevSession.with { session in
            let script = #"printf '%s\n%s\n%s\n%s\n%s\n%s\n' "$PDS_ACCESS_TOKEN" "$(cat "$PDS_ACCESS_TOKEN_FILE")" "$PDS_ENDPOINT" "$PDS_DOMAIN_ID" "$PDS_DRIVE_ID" "$PDS_ACCESS_TOKEN_FILE"; ls -ld "$(dirname "$PDS_ACCESS_TOKEN_FILE")" "$PDS_ACCESS_TOKEN_FILE" | cut -c1-10"#
            let result = try await CLIProcess.run(["exec", "--", "/bin/sh", "-c", script], environment: session.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let token = try await CLIProcess.run(["token"], environment: session.environment).stdout.trimmingCharacters(in: .newlines)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 8, "\(result.stdout)")
            #expect(lines[0] == token && lines[1] == token && lines[2] == session.base && lines[3] == "dev" && lines[4] == "1")
            #expect(lines[6] == "drwx------" && lines[7] == "-rw-------", "a private directory, a private file")
            #expect(!FileManager.default.fileExists(atPath: lines[5]), "removed when the program ended")
        }
    }

    @Test func aProgramRunningAcrossAnExpirySeesTheFileRenewed() async throws {
        try await DevSession.with(accessTokenLifetime: 4) { session in
            // A fresh 4-second token; with --min-valid 2 the file must be renewed within ~2 s.
            #expect(try await CLIProcess.run(["refresh", "--quiet"], environment: session.environment).status == 0)
            let script = #"a=$(cat "$PDS_ACCESS_TOKEN_FILE"); i=0; while [ $i -lt 100 ]; do b=$(cat "$PDS_ACCESS_TOKEN_FILE"); [ "$a" != "$b" ] && { echo "changed"; echo "$b"; exit 0; }; sleep 0.1; i=$((i+1)); done; echo unchanged"#
            let result = try await CLIProcess.run(["exec", "--min-valid", "2", "--", "/bin/sh", "-c", script], environment: session.environment)
            #expect(result.status == 0 && result.stdout.hasPrefix("changed\n"), "\(result.stdout) \(result.stderr)")
            let saved = try #require(try session.store.profile("default"))
            #expect(result.stdout.hasSuffix(saved.accessToken + "\n"), "the file holds the token the store saved")
            #expect(await session.server.statistics().tokenRequests["refresh_token", default: 0] >= 2)
        }
    }

    @Test(arguments: [("exit 7", Int32(7)), ("kill -TERM $$", Int32(143)), ("kill -KILL $$", Int32(137))])
    func pdsAuthExitsWithTheProgramsStatus(script: String, status: Int32) async throws {
        try await DevSession.with { session in
            let result = try await CLIProcess.run(["exec", "--", "/bin/sh", "-c", script], environment: session.environment)
            #expect(result.status == status, "\(result.stderr)")
        }
    }

    @Test func aMissingProgramIs127() async throws {
        try await DevSession.with { session in
            let result = try await CLIProcess.run(["exec", "--", "no-such-program-anywhere"], environment: session.environment)
            #expect(result.status == 127 && result.stderr.contains("Cannot run no-such-program-anywhere"), "\(result.stderr)")
        }
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalsArePassedOnAndTheDirectoryRemoved(signal: Int32) async throws {
        try await DevSession.with { session in
            let script = #"echo "$PDS_ACCESS_TOKEN_FILE"; trap 'echo got-signal; exit 42' TERM INT HUP; while :; do sleep 0.05; done"#
            let exec = CLIProcess(["exec", "--", "/bin/sh", "-c", script], environment: session.environment)
            try exec.start()
            var file = ""
            for _ in 0..<400 where !file.hasSuffix("\n") {
                file = exec.stdout
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(FileManager.default.fileExists(atPath: file.trimmingCharacters(in: .newlines)))
            exec.signal(signal)
            #expect(try await exec.wait() == 42, "the program got the signal and its status is ours: \(exec.stderr)")
            #expect(exec.stdout.contains("got-signal"))
            #expect(!FileManager.default.fileExists(atPath: file.trimmingCharacters(in: .newlines)), "removed, even on a signal")
        }
    }
}
