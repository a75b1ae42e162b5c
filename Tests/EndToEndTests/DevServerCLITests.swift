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
        let form = HTTPClientRequest(method: "POST", url: token, headers: [("Content-Type", "application/x-www-form-urlencoded")],
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
}
