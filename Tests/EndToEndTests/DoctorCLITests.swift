import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth doctor` on this machine's side: credentials, profiles, settings, libcurl, the
/// browser opener, remote sessions and the redirect port, each in a faked environment. Every
/// run goes through `DoctorRun`, which fails when any output holds a secret.
@Suite struct DoctorCLITests {
    /// A healthy setup exits 0 and the report says so; the JSON report follows README's rules
    /// (sorted keys, one line off a terminal) and has every check.
    @Test func aHealthySetupExitsZero() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { server in
            let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: server.baseURL))])
            let environment = ["PDS_AUTH_HOME": home.path]
            let human = try await DoctorRun.run(DoctorRun.anyPort, environment)
            #expect(human.status == 0, "\(human.output)")
            // Hummingbird's Date is a cache renewed each second, a few seconds stale on a busy
            // machine: within the tolerance, whatever it says exactly.
            #expect(human.stdout.contains("✓ endpoint \(server.baseURL): reachable (HTTP 200); "), "\(human.stdout)")
            #expect(human.stdout.contains("    clock: clocks agree") || human.stdout.contains("    clock: this clock is"), "\(human.stdout)")
            #expect(
                human.stdout.contains("✓ profile main: usable, token valid in 59 min")
                    || human.stdout.contains("✓ profile main: usable, token valid in 60 min"), "\(human.stdout)")
            #expect(human.stdout.hasSuffix("All checks passed.\n"), "\(human.stdout)")
            let json = try await DoctorRun.run(DoctorRun.anyPort + ["--json"], environment)
            #expect(json.status == 0 && json.stdout.hasPrefix("{\"checks\":[{\"check\":\"platform\",\"facts\":{"), "\(json.stdout)")
            #expect(json.stdout.split(separator: "\n").count == 1)
            let report = try json.json()
            #expect(report["ok"] as? Bool == true && report["exit_status"] as? Int == 0 && report["version"] as? String == PDSAuthVersion.current)
            let names = (report["checks"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String }
            #expect(
                names == [
                    "platform", "libcurl", "environment", "credentials", "profile", "tls_and_proxy", "endpoint", "browser", "remote", "redirect_port",
                ])
        }
    }

    /// A credentials file and directory open to others: reported with their modes (exit 11),
    /// and left exactly as they were — doctor repairs nothing (every other command narrows them).
    @Test func openPermissionsAreReportedAndLeftAlone() async throws {
        let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: "http://127.0.0.1:9"))])
        chmod(home.path, 0o755)
        chmod(home.file("credentials.json"), 0o644)
        let before = try Data(contentsOf: URL(fileURLWithPath: home.file("credentials.json")))
        let listing = try FileManager.default.contentsOfDirectory(atPath: home.path).sorted()
        let result = try await DoctorRun.run(DoctorRun.anyPort + ["--json"], ["PDS_AUTH_HOME": home.path])
        #expect(result.status == 11, "\(result.output)")
        let credentials = try #require(try result.checks("credentials").first)
        let facts = try #require(credentials["facts"] as? [String: Any])
        #expect((facts["file_is"] as? String)?.hasPrefix("regular file, mode 0644, owner ") == true, "\(facts)")
        #expect((facts["directory_is"] as? String)?.hasPrefix("directory, mode 0755") == true, "\(facts)")
        let problem = try #require(credentials["problem"] as? [String: Any])
        #expect(problem["code"] as? String == "credentials_exposed" && problem["exit_status"] as? Int == 11, "\(problem)")
        #expect((problem["message"] as? String)?.contains("is open to other users (mode 0644; pds-auth narrows it to 0600") == true, "\(problem)")
        #expect(fileMode(home.file("credentials.json")) == 0o644 && fileMode(home.path) == 0o755, "doctor changed the modes")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.file("credentials.json"))) == before, "doctor wrote the file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).sorted() == listing, "doctor made or removed files")
    }

    /// A FIFO where the file should be is refused as every command refuses it, at once.
    @Test func aFIFOInPlaceOfTheCredentialsFileIsRefusedAtOnce() async throws {
        let home = TemporaryDirectory()
        chmod(home.path, 0o700)
        #expect(mkfifo(home.file("credentials.json"), 0o600) == 0)
        let started = ContinuousClock.now
        let result = try await DoctorRun.run(DoctorRun.anyPort, ["PDS_AUTH_HOME": home.path])
        // Opening the FIFO would block until a writer came, i.e. forever; the margin over
        // "at once" is for the suite's own load on a 2-core machine (14 s seen).
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(result.status == 11, "\(result.output)")
        #expect(result.stdout.contains("file is: FIFO, mode 0600") && result.stdout.contains("is not a regular file"), "\(result.stdout)")
        #expect(result.stdout.contains("accepted: no"), "\(result.stdout)")
    }

    /// Profiles pds-auth cannot use are named with the error a command would report: an
    /// expired one with nothing to renew it (13), a damaged one (11, profile_unusable), a JWT profile whose key
    /// is gone (3). The first, in name order, decides the exit status; the usable one is usable.
    @Test func unusableProfilesAreNamed() async throws {
        let home = try await DoctorRun.home([
            ("a-expired", try DoctorRun.profile(endpoint: "http://127.0.0.1:9", expiresIn: -7200, refreshToken: nil)),
            ("b-damaged", try DoctorRun.profile(endpoint: "http://127.0.0.1:9")),
            ("c-fine", try DoctorRun.profile(endpoint: "http://127.0.0.1:9")),
        ])
        let path = home.file("credentials.json")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let damaged = try #require(text.range(of: "\"b-damaged\""))
        let token = try #require(text.range(of: DoctorRun.accessToken, range: damaged.upperBound..<text.endIndex))
        try text.replacingCharacters(in: token, with: "not\\u0007printable").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        let result = try await DoctorRun.run(DoctorRun.anyPort + ["--json"], ["PDS_AUTH_HOME": home.path])
        #expect(result.status == 13, "\(result.output)")
        let profiles = try result.checks("profile")
        let codes = profiles.map { (($0["problem"] as? [String: Any])?["code"] as? String) ?? ($0["status"] as? String ?? "") }
        #expect(codes == ["not_refreshable", "profile_unusable", "ok"], "\(profiles)")
        #expect((profiles.first?["summary"] as? String)?.contains("expired 2 h ago and nothing can renew it") == true, "\(profiles)")

        var jwt = try DoctorRun.profile(endpoint: "http://127.0.0.1:9")
        jwt.grant = .jwtBearer
        jwt.jwt = JWTSettings(privateKeyPath: home.file("gone.pem"), subject: "u", subjectType: "user", autoCreate: false)
        let jwtHome = try await DoctorRun.home([("svc", jwt)])
        let missingKey = try await DoctorRun.run(DoctorRun.anyPort, ["PDS_AUTH_HOME": jwtHome.path])
        #expect(
            missingKey.status == 3 && missingKey.stdout.contains("✗ profile svc: There is no private key file at this path"), "\(missingKey.stdout)")
    }

    /// Settings pds-auth would refuse are problems (exit 3), the client secret in the
    /// environment is only said to be set, and nothing is found where nothing was saved.
    @Test func settingsAreCheckedAndTheSecretIsOnlySaidToBeSet() async throws {
        let home = TemporaryDirectory()
        let environment = [
            "PDS_AUTH_HOME": home.path, "PDS_AUTH_HTTP_TIMEOUT": "forever", "PDS_CLIENT_SECRET": DoctorRun.environmentSecret,
            "PDS_AUTH_PROFILE": "work", "PDS_ENDPOINT": "https://me:\(DoctorRun.environmentSecret)@pds.example.test/?token=\(DoctorRun.accessToken)",
        ]
        let result = try await DoctorRun.run(DoctorRun.anyPort, environment)
        #expect(result.status == 3, "\(result.output)")
        #expect(result.stdout.contains("✗ environment: PDS_AUTH_HTTP_TIMEOUT must be a number of seconds"), "\(result.stdout)")
        #expect(result.stdout.contains("pds client secret: set (not shown)") && result.stdout.contains("pds auth profile: work"), "\(result.stdout)")
        #expect(result.stdout.contains("pds endpoint: https://pds.example.test/\n"), "shown without user, password or query: \(result.stdout)")
        #expect(result.stdout.contains("credentials: no credentials file yet"), "\(result.stdout)")
        #expect(result.stdout.contains("- endpoint: no endpoint to reach"), "\(result.stdout)")
        let relative = try await DoctorRun.run(DoctorRun.anyPort, ["PDS_AUTH_HOME": "relative/dir"])
        #expect(relative.status == 3 && relative.stdout.contains("✗ credentials: PDS_AUTH_HOME must be an absolute path"), "\(relative.stdout)")
    }

    /// Which opener `login` would run (`$BROWSER` entries, then wslview under WSL, then
    /// xdg-open), each looked up on PATH and none started; WSL and SSH detected, with the exact
    /// port forward `login` would print.
    @Test func browserOpenersAndRemoteSessionsAreDescribed() async throws {
        let bin = TemporaryDirectory()
        let marker = bin.file("started")
        try "#!/bin/sh\ntouch \(marker)\n".write(toFile: bin.file("fake-browser"), atomically: true, encoding: .utf8)
        chmod(bin.file("fake-browser"), 0o755)
        let home = TemporaryDirectory()
        let environment = [
            "PDS_AUTH_HOME": home.path, "PATH": "\(bin.path):/usr/bin:/bin",
            "BROWSER": "missing-browser:fake-browser --new-window %s", "WSL_DISTRO_NAME": "Debian",
            "SSH_CONNECTION": "10.1.2.3 50000 10.9.8.7 2222", "USER": "alice",
        ]
        let result = try await DoctorRun.run(["--redirect-uri", "http://127.0.0.1:0/callback"], environment)
        #expect(result.stdout.contains("✓ browser: would open the sign-in page with fake-browser --new-window URL"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "missing-browser URL — not found on PATH; fake-browser --new-window URL — found: \(bin.path)/fake-browser; wslview URL — "),
            "\(result.stdout)")
        #expect(result.stdout.contains("    wsl: yes\n    ssh: yes\n    ssh tunnel: ssh -N -L "), "\(result.stdout)")
        let json = try await DoctorRun.run(["--redirect-uri", "http://localhost:8765/callback", "--json"], environment)
        let remote = try #require(try json.checks("remote").first?["facts"] as? [String: Any])
        #expect(remote["ssh_tunnel"] as? String == "ssh -N -L 8765:127.0.0.1:8765 -p 2222 alice@10.9.8.7", "\(remote)")
        #expect(!FileManager.default.fileExists(atPath: marker), "doctor started the browser")
    }

    /// A redirect port held by another program is exit 4, named as `login` names it; a free
    /// one is bound only for a moment: while doctor still runs (waiting on an endpoint that
    /// never answers), the test can take the port itself.
    @Test func aBusyRedirectPortIsAProblemAndAFreeOneIsNotKept() async throws {
        let held = try #require(HeldPort(host: "127.0.0.1"))
        let home = TemporaryDirectory()
        let busy = try await DoctorRun.run(["--redirect-uri", "http://127.0.0.1:\(held.port)/callback"], ["PDS_AUTH_HOME": home.path])
        #expect(busy.status == 4, "\(busy.output)")
        #expect(busy.stdout.contains("✗ redirect port: Cannot listen on 127.0.0.1:\(held.port): another program holds it"), "\(busy.stdout)")
        #expect(
            busy.stdout.contains("what to do: Free the port, or pass another --redirect-uri; it must match a redirect URI registered on the app"),
            "\(busy.stdout)")

        // Checked from the endpoint's side, with no clock: while its request is unanswered,
        // doctor is waiting on it (past its redirect-port check), so the port must be free.
        let port = TestPorts.belowEphemeralRange()
        let freeDuringProbe = LockedValue<Bool?>(nil)
        let silent = try #require(
            CannedHTTPServer { _ in
                freeDuringProbe.update { $0 = $0 ?? (HeldPort(host: "127.0.0.1", port: port) != nil) }
                return nil
            })
        defer { silent.stop() }
        let doctor = CLIProcess(
            ["doctor", "--endpoint", "http://127.0.0.1:\(silent.port)", "--redirect-uri", "http://127.0.0.1:\(port)/callback"],
            environment: ["PDS_AUTH_HOME": home.path])
        try doctor.start()
        #expect(try await doctor.wait() == 9, "\(doctor.stderr)")
        #expect(silent.requests.value.count == 1, "doctor reached the endpoint once")
        #expect(freeDuringProbe.value == true, "doctor still held port \(port) while it waited on the endpoint")
        DoctorRun.expectNoSecret(in: doctor.stdout + doctor.stderr)
        #expect(doctor.stdout.contains("✓ redirect port: port \(port) is free on 127.0.0.1"), "\(doctor.stdout)")
    }

    /// Without libcurl (hidden as in `MissingLibcurlTests`), the rest is still checked and the
    /// report says what to install; no endpoint is tried.
    @Test(.enabled(if: MissingLibcurlTests.canHideLibcurl, "needs root, unshare and Debian's libcurl (CI runs as root)"))
    func withoutLibcurlEverythingElseIsStillChecked() async throws {
        let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: "http://127.0.0.1:9"))])
        let result = try await MissingLibcurlTests.withoutLibcurl(["doctor"] + DoctorRun.anyPort, home: home.path)
        DoctorRun.expectNoSecret(in: result.output)
        #expect(result.status == 3, "\(result.output)")
        #expect(result.output.contains("✗ libcurl: libcurl cannot be loaded"), "\(result.output)")
        #expect(result.output.contains("what to do: Install libcurl (Debian: apt-get install libcurl4)."), "\(result.output)")
        #expect(result.output.contains("- endpoint http://127.0.0.1:9: not reached: libcurl cannot be loaded"), "\(result.output)")
        #expect(result.output.contains("✓ profile main: usable"), "\(result.output)")
    }
}
