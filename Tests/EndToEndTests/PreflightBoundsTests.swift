import Foundation
import PDSAuthTestSupport
import Testing

/// The preflight (`AuthorizePreflight`, issue 17) against authorize endpoints that answer
/// oddly: it must neither hold the sign-in up longer than its own bound nor turn a page it
/// cannot judge into a failure.
@Suite struct PreflightBoundsTests {
    static func login(_ port: Int, _ extra: [String], environment: [String: String] = [:]) -> CLIProcess {
        CLIProcess(
            [
                "login", "--no-browser", "--endpoint", "http://127.0.0.1:\(port)", "--domain-id", "dev", "--client-id", "c",
                "--redirect-uri", "http://127.0.0.1:0/callback",
            ] + extra,
            environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "PDS_CLIENT_SECRET": "unused"].merging(environment) { _, new in new })
    }

    /// An endpoint that accepts and never answers, with `PDS_AUTH_HTTP_TIMEOUT` at its
    /// largest: the preflight gives up after its own 10 s, once.
    @Test func aSilentAuthorizeEndpointIsGivenUpAfterTenSeconds() async throws {
        let silent = try #require(CannedHTTPServer { _ in nil })
        defer { silent.stop() }
        let login = Self.login(silent.port, ["--timeout", "600"], environment: ["PDS_AUTH_HTTP_TIMEOUT": "3600"])
        let started = ContinuousClock.now
        try login.start()
        let status = try await login.wait(timeout: .seconds(90))
        let took = ContinuousClock.now - started
        #expect(status == 9 && !login.stderr.contains("Open http"), "\(login.stderr)")
        // Far from the hour the environment allows; the margin is for a loaded 2-core run
        // (31 s seen with a release build compiling beside the suite).
        #expect(took >= .seconds(9) && took < .seconds(60), "\(took)")
        #expect(silent.requests.value.count == 1)
    }

    /// A sign-in page larger than what the preflight reads (256 KiB) is a sign-in page: the
    /// browser step goes ahead (here it then times out after 1 s), not exit 10.
    @Test func aLargeSignInPageLetsTheSignInGoAhead() async throws {
        let page =
            Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(300 << 10)\r\nConnection: close\r\n\r\n".utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: 300 << 10)
        let large = try #require(CannedHTTPServer { _ in page })
        defer { large.stop() }
        let login = Self.login(large.port, ["--timeout", "1"])
        try login.start()
        #expect(try await login.wait(timeout: .seconds(40)) == 12 && login.stderr.contains("Open http"), "\(login.stderr)")
        #expect(large.requests.value.count == 1, "one round trip")
    }
}
