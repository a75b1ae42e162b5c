import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth dev-server` as users run it to test their own setups against faults.
@Suite struct DevServerCLITests {
    @Test func faultSwitchAppliesToTheNamedNumberOfTokenRequests() async throws {
        let server = CLIProcess(["dev-server", "--port", "0", "--fault", "status=503:1", "--fault-times", "1"], environment: [:])
        try server.start()
        defer { server.kill() }
        let base = try await server.waitForStderr(#"at (http://127\.0\.0\.1:[0-9]+)"#)
        #expect(server.stderr.contains("Token requests will fail with"))
        let token = URL(string: base + "/v2/oauth/token")!
        let form = HTTPClientRequest(
            method: .post, url: token, headerFields: [.contentType: "application/x-www-form-urlencoded"],
            body: Data("grant_type=refresh_token&refresh_token=x&client_id=pds-auth-native".utf8))
        let first = try await CurlClient().send(form)
        #expect(first.status == 503 && first[header: "retry-after"] == "1")
        let second = try await CurlClient().send(form)
        #expect(second.status == 400, "the fault was used up: a normal PDS error for an unknown refresh token")
    }

    @Test func anUnknownFaultIsAUsageError() async throws {
        let result = try await CLIProcess.run(["dev-server", "--port", "0", "--fault", "explode"], environment: [:])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("delay=MS, status=CODE"))
    }

    /// Issue 15: it used to exit 0 on SIGTERM and SIGINT; like every command it dies of the
    /// signal (a shell's 143/130), after closing its port.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalEndsItByThatSignal(signal: Int32) async throws {
        let server = CLIProcess(["dev-server", "--port", "0"], environment: [:])
        try server.start()
        defer { server.kill() }
        let base = try await server.waitForStderr(#"at (http://127\.0\.0\.1:[0-9]+)"#)
        server.signal(signal)
        #expect(try await server.wait() == 128 + signal && server.diedOf == signal, "\(server.stderr)")
        #expect(server.stderr.contains("closed its port"), "\(server.stderr)")
        let after = HTTPClientRequest(method: .get, url: URL(string: base + "/.well-known/jwks.json")!)
        await #expect(throws: PDSAuthError.self) { _ = try await CurlClient().send(after) }
    }
}
