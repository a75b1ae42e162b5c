import FoundationEssentials
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

@testable import PDSAuthCLI

/// What the CLI decides from an error's typed fields, never from its text: the wait the
/// advice names, the `status --verify` report, `doctor --json`'s details, and `login --dev`
/// giving up a state directory another sign-in holds.
@Suite struct ErrorFieldsTests {
    @Test func theAdviceNamesTheWaitTheServerAskedFor() throws {
        let wait = try #require(ErrorAdvice.hint(for: PDSAuthError(.serverUnavailable, "x", retryAfter: .seconds(42))))
        #expect(wait.hasSuffix("Saved credentials were not changed. It asked to wait 42 s."), "\(wait)")
        let none = try #require(ErrorAdvice.hint(for: PDSAuthError(.serverUnavailable, "x")))
        #expect(!none.contains("asked to wait"))
        // A Retry-After that is an HTTP-date is shown beside the message, and not read as seconds.
        let date = try #require(
            ErrorAdvice.hint(for: PDSAuthError(.serverUnavailable, "x", details: ["retry after": "Wed, 21 Oct 2015 07:28:00 GMT"])))
        #expect(!date.contains("asked to wait"), "\(date)")
    }

    @Test func theVerifyReportComesFromTheTypedFields() throws {
        let error = PDSAuthError(
            .apiUnauthorized, "GET /v2/user/get was refused", httpStatus: 401, serverCode: "AccessTokenInvalid", requestID: "R7",
            profile: "work", details: ["url": "https://h.example"])
        let report = try #require(Verification.failed(error).error)
        #expect(
            report.code == "api_unauthorized" && report.http_status == 401 && report.server_code == "AccessTokenInvalid" && report.request_id == "R7")
        let bare = try #require(Verification.failed(PDSAuthError(.unreachable, "Could not connect")).error)
        #expect(bare.http_status == nil && bare.server_code == nil && bare.request_id == nil)
    }

    @Test func doctorsDetailsHoldEveryShownFact() {
        let error = PDSAuthError(
            .serverUnavailable, "x", httpStatus: 503, retryAfter: .seconds(5), profile: "p", details: ["url": "https://h.example"])
        #expect(DoctorOutput.details(error) == ["HTTP": "503", "retry after": "5", "profile": "p", "url": "https://h.example"])
        #expect(DoctorOutput.details(PDSAuthError(.noHome, "x")) == nil)
    }

    /// The advice signs in again under the profile the error names (its `profile`), not
    /// under whatever profile is current.
    @Test func theAdviceNamesTheProfileTheErrorConcerns() async throws {
        let home = TemporaryDirectory()
        let result = try await InProcessCLI.run(["refresh", "--profile", "ghost"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(
            result.status == ExitStatus.notSignedIn.rawValue && result.stderr.contains("Sign in with `pds-auth login --profile ghost`"),
            "\(result.stderr)")
    }

    /// Another `login --dev` holds the state directory (its lock), with no running dev
    /// server to sign in to: this one runs a server that keeps nothing rather than failing.
    @Test func aHeldStateDirectoryGivesADevServerThatKeepsNothing() async throws {
        let home = TemporaryDirectory()
        let state = home.path + "/dev-server"
        #expect(mkdir(state, 0o700) == 0)
        let lock = open(state + "/state.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        defer { close(lock) }
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        let login = try await InProcessCLI.run(
            [
                "login", "--dev", "--no-browser", "--timeout", "1", "--dev-port", "0",
                "--redirect-uri", "http://127.0.0.1:0/callback",
            ], environment: ["PDS_AUTH_HOME": home.path])
        #expect(login.stderr.contains("Another login --dev is using \(state); this dev server keeps nothing."), "\(login.stderr)")
        #expect(login.status == ExitStatus.timedOut.rawValue, "it went on to wait for the browser: \(login.stderr)")
    }
}
