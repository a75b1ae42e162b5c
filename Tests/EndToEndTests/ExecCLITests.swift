import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth exec`: a program run with a working token, kept fresh in a file.
@Suite struct ExecCLITests {
    @Test func theEnvironmentAndTheFileHoldWhatTokenPrints() async throws {
        try await DevSession.with { session in
            let script =
                #"printf '%s\n%s\n%s\n%s\n%s\n%s\n' "$PDS_ACCESS_TOKEN" "$(cat "$PDS_ACCESS_TOKEN_FILE")" "$PDS_ENDPOINT" "$PDS_DOMAIN_ID" "$PDS_DRIVE_ID" "$PDS_ACCESS_TOKEN_FILE"; ls -ld "$(dirname "$PDS_ACCESS_TOKEN_FILE")" "$PDS_ACCESS_TOKEN_FILE" | cut -c1-10"#
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
            let script =
                #"a=$(cat "$PDS_ACCESS_TOKEN_FILE"); i=0; while [ $i -lt 100 ]; do b=$(cat "$PDS_ACCESS_TOKEN_FILE"); [ "$a" != "$b" ] && { echo "changed"; echo "$b"; exit 0; }; sleep 0.1; i=$((i+1)); done; echo unchanged"#
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
            #expect(!result.stderr.contains("pds-auth api") && result.stderr.contains("PATH"), "advice for exec, not api: \(result.stderr)")
            let dashed = try await CLIProcess.run(["exec", "--", "--no-such-program"], environment: session.environment)
            #expect(dashed.status == 127, "after --, a word with a dash is the program: \(dashed.stderr)")
        }
    }

    /// Issue 15: `exec --min-vlaid 5 -- true` ran `--min-vlaid` as the program (127). Before
    /// `--`, an unknown option is a command-line error.
    @Test func aMistypedOptionIsACommandLineError() async throws {
        let result = try await CLIProcess.run(["exec", "--min-vlaid", "5", "--", "true"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        #expect(result.status == 2 && result.stderr.contains("Unknown option '--min-vlaid'"), "\(result.stderr)")
    }

    /// `--help` and `-h` before the program ask for the command's help, as for every other
    /// command, not "Unknown option" (whose own message says to run `pds-auth exec --help`).
    @Test(arguments: ["--help", "-h"])
    func helpBeforeTheProgramIsHelp(flag: String) async throws {
        let result = try await CLIProcess.run(["exec", flag], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        #expect(result.status == 0 && result.stdout.contains("USAGE: pds-auth exec"), "\(result.status): \(result.stdout) \(result.stderr)")
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalsArePassedOnAndTheDirectoryRemoved(signal: Int32) async throws {
        try await DevSession.with { session in
            let script = #"echo "$PDS_ACCESS_TOKEN_FILE"; trap 'echo got-signal; exit 42' TERM INT HUP; while :; do sleep 0.05; done"#
            let exec = CLIProcess(["exec", "--", "/bin/sh", "-c", script], environment: session.environment)
            try exec.start()
            let file = try await exec.waitForStdout("\n")
            #expect(FileManager.default.fileExists(atPath: file.trimmingCharacters(in: .newlines)))
            exec.signal(signal)
            #expect(try await exec.wait() == 42, "the program got the signal and its status is ours: \(exec.stderr)")
            #expect(exec.stdout.contains("got-signal"))
            #expect(!FileManager.default.fileExists(atPath: file.trimmingCharacters(in: .newlines)), "removed, even on a signal")
        }
    }

    /// Issue 15's attack: `TMPDIR` owned by another user (as `sudo -E` leaves it), who swaps
    /// pds-auth's directory for a symbolic link to a victim directory in a loop while the
    /// program runs. That root is refused (with a warning) and /tmp is used instead, so the
    /// swap finds nothing; the victim's files survive and no token lands in their directory.
    @Test(.enabled(if: getuid() == 0, "needs root to act as another user (uid 65534)"))
    func anotherUsersTMPDIRIsRefusedAndTheirSwapLoopFindsNothing() async throws {
        try await DevSession.with { session in
            let theirs = TemporaryDirectory()
            chown(theirs.path, 65534, 65534)
            chmod(theirs.path, 0o755)
            let victim = TemporaryDirectory()
            for name in ["precious-1", "precious-2"] { _ = FileManager.default.createFile(atPath: victim.file(name), contents: Data("keep".utf8)) }
            chmod(victim.path, 0o755)
            let swap =
                #"end=$(($(date +%s) + 4)); while [ $(date +%s) -lt $end ]; do for d in "$1"/pds-auth-*; do [ -d "$d" ] && [ ! -L "$d" ] && mv "$d" "$d.moved" && ln -s "$2" "$d"; done; sleep 0.01; done"#
            async let attacker = ChildTool.run(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", swap, "sh", theirs.path, victim.path])
            var environment = session.environment
            environment["TMPDIR"] = theirs.path
            let result = try await CLIProcess.run(
                ["exec", "--", "/bin/sh", "-c", #"echo "$PDS_ACCESS_TOKEN_FILE"; sleep 2"#], environment: environment)
            _ = try await attacker
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("not using TMPDIR") && result.stderr.contains("uid 65534"), "\(result.stderr)")
            #expect(result.stdout.hasPrefix("/tmp/pds-auth-exec-"), "\(result.stdout)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: victim.path)) == ["precious-1", "precious-2"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: theirs.path).isEmpty, "nothing was made in their directory")
        }
    }

    /// The program moves the private directory away (anyone able to rename in the root
    /// could): at exit pds-auth removes its token file through the directory's descriptor,
    /// touches nothing at the old path, and says so.
    @Test func aDirectoryMovedWhileTheProgramRunsIsReported() async throws {
        try await DevSession.with { session in
            let root = TemporaryDirectory()
            var environment = session.environment
            environment["TMPDIR"] = root.path
            let script = #"d=$(dirname "$PDS_ACCESS_TOKEN_FILE"); mv "$d" "$d.moved"; echo "$d""#
            let result = try await CLIProcess.run(["exec", "--", "/bin/sh", "-c", script], environment: environment)
            #expect(result.status == 0 && result.stderr.contains("was moved or replaced while the program ran"), "\(result.stderr)")
            let moved = result.stdout.trimmingCharacters(in: .newlines) + ".moved"
            #expect(try FileManager.default.contentsOfDirectory(atPath: moved).isEmpty, "its token file was removed all the same")
        }
    }

    /// The directory swapped for a symbolic link between `mkdirat` and its opening, as
    /// another user who could rename in the root would do it (the root checks keep such
    /// users out; the shim plays one): the link is not followed, so the directory it points
    /// to is neither narrowed nor written to nor emptied, and exec stops (exit 11).
    @Test func aDirectorySwappedAsItIsMadeIsNotFollowed() async throws {
        try await DevSession.with { session in
            let root = TemporaryDirectory()
            let victim = TemporaryDirectory()
            for name in ["precious-1", "precious-2"] { _ = FileManager.default.createFile(atPath: victim.file(name), contents: Data("keep".utf8)) }
            chmod(victim.path, 0o755)
            let environment = session.environment.merging([
                "TMPDIR": root.path, "LD_PRELOAD": try await KillShim.library(),
                "PDS_TEST_SWAP_DIR": victim.path,
            ]) { _, new in new }
            let result = try await CLIProcess.run(["exec", "--", "/bin/sh", "-c", #"echo "$PDS_ACCESS_TOKEN_FILE""#], environment: environment)
            #expect(result.status == 11 && result.stdout.isEmpty, "\(result.status): \(result.stdout) \(result.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: victim.path)) == ["precious-1", "precious-2"])
            #expect(fileMode(victim.path) == 0o755)
        }
    }

    /// An abandoned directory replaced by another directory of ours between the sweep's look
    /// at it and its opening (the shim renames it aside and moves another in, right after the
    /// sweep's fstatat): the sweep sees it is no longer the directory it judged and leaves it.
    @Test func aDirectoryReplacedDuringTheSweepIsNotEmptied() async throws {
        try await DevSession.with { session in
            let root = TemporaryDirectory()
            let name = "pds-auth-exec-ffffffffffffffff"
            mkdir(root.file(name), 0o700)
            var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
            utimensat(AT_FDCWD, root.file(name), &times, 0)
            let other = root.file("someone-elses")
            mkdir(other, 0o700)
            for file in ["precious-1", "precious-2"] { _ = FileManager.default.createFile(atPath: other + "/" + file, contents: Data("keep".utf8)) }
            let environment = session.environment.merging([
                "TMPDIR": root.path, "LD_PRELOAD": try await KillShim.library(),
                "PDS_TEST_SWAP_STAT": "\(name):\(other)",
            ]) { _, new in new }
            let result = try await CLIProcess.run(["exec", "--", "true"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: root.file(name))) == ["precious-1", "precious-2"])
        }
    }

    /// SIGKILL leaves the private directory (nothing can run after it); the next `exec`
    /// removes it once it is a minute old and its lock is free.
    @Test func aDirectoryLeftByAKilledExecIsRemovedByTheNextRun() async throws {
        try await DevSession.with { session in
            let root = TemporaryDirectory()
            var environment = session.environment
            environment["TMPDIR"] = root.path
            let exec = CLIProcess(
                ["exec", "--", "/bin/sh", "-c", #"echo "$PDS_ACCESS_TOKEN_FILE"; echo $$; exec sleep 30"#], environment: environment)
            try exec.start()
            var lines: [String] = []
            try await waitUntil {
                lines = exec.stdout.split(separator: "\n").map(String.init)
                return lines.count >= 2
            }
            try #require(lines.count == 2, "\(exec.stderr)")
            let directory = (lines[0] as NSString).deletingLastPathComponent
            exec.kill()
            kill(pid_t(lines[1])!, SIGKILL)
            _ = try await exec.wait()
            #expect(FileManager.default.fileExists(atPath: directory), "SIGKILL leaves it")
            // The program (sleep) still holds nothing of ours: the lock was pds-auth's alone.
            var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
            utimensat(AT_FDCWD, directory, &times, 0)
            let next = try await CLIProcess.run(["exec", "--", "true"], environment: environment)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory), "removed by the next run")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        }
    }
}
