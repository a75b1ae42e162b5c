import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// Rotating refresh tokens across processes: many `pds-auth token` at once must cause
/// exactly one refresh, and every process must print the same new token.
@Suite struct ConcurrentRefreshTests {
    @Test func twentyProcessesRefreshOnce() async throws {
        try await DevSession.with { session in
            try await session.expireAccessToken()
            let before = try #require(try session.store.profile("default"))
            let processes = (0..<20).map { _ in CLIProcess(["token"], environment: session.environment) }
            for process in processes { try process.start() }
            var outputs: [String] = []
            for process in processes {
                let status = try await process.wait()
                #expect(status == 0, "\(process.stderr)")
                outputs.append(process.stdout.trimmingCharacters(in: .newlines))
            }
            let stats = await session.server.statistics()
            #expect(stats.tokenRequests["refresh_token"] == 1, "exactly one refresh reached the server")
            let after = try #require(try session.store.profile("default"))
            #expect(Set(outputs) == [after.accessToken], "all 20 print the same, saved token")
            #expect(after.accessToken != before.accessToken)
            #expect(after.refreshToken != before.refreshToken, "the rotated refresh token was saved")
            #expect(after.effectiveExpiry! > Date().addingTimeInterval(300))
            #expect(fileMode(session.store.filePath) == 0o600)
            _ = try CredentialsFile.decode(try session.fileBytes(), path: "")
            // The saved refresh token is the live one: a forced refresh with it succeeds.
            let renewed = try await TokenProvider(store: session.store).validProfile("default", minValid: .zero, force: true)
            #expect(renewed.refreshToken != after.refreshToken)
        }
    }
}
