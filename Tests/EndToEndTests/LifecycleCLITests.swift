import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `token`, `refresh`, `status`, `logout` as processes against the dev server.
@Suite struct LifecycleCLITests {
    @Test func tokenFormats() async throws {
        try await DevSession.with { session in
            let token = try #require(try session.store.profile("default")).accessToken
            let bare = try await InProcessCLI.run(["token"], environment: session.environment)
            #expect(bare.status == 0 && bare.stdout == token + "\n" && bare.stderr.isEmpty)
            let header = try await InProcessCLI.run(["token", "--format", "header"], environment: session.environment)
            #expect(header.stdout == "Authorization: Bearer \(token)\n")
            let env = try await InProcessCLI.run(["token", "--format", "env"], environment: session.environment)
            #expect(env.stdout.hasPrefix("export PDS_ACCESS_TOKEN='\(token)'\nexport PDS_TOKEN_EXPIRES_AT='"))
            let json = try await InProcessCLI.run(["token", "--format", "json"], environment: session.environment)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["access_token"] as? String == token && object["token_type"] as? String == "Bearer")
            #expect((object["expires_in"] as? Int ?? 0) > 3000)
            let stats = await session.server.statistics()
            #expect(stats.tokenRequests["refresh_token"] == nil, "a fresh token is not refreshed")
        }
    }

    @Test func minValidForcesAnEarlyRefreshAndProfileComesFromTheEnvironment() async throws {
        try await DevSession.with { session in
            let copy = try #require(try session.store.profile("default"))
            try await session.store.save(copy, as: "other")
            try await session.store.update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles["default"] = nil }
            var environment = session.environment
            environment["PDS_AUTH_PROFILE"] = "other"
            let result = try await InProcessCLI.run(["token", "--min-valid", "7200"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout != copy.accessToken + "\n")
            #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1)
        }
    }

    @Test func refreshCommandRotates() async throws {
        try await DevSession.with { session in
            let before = try #require(try session.store.profile("default"))
            let result = try await InProcessCLI.run(["refresh"], environment: session.environment)
            #expect(result.status == 0 && result.stderr.contains("Refreshed profile \"default\""), "\(result.stderr)")
            let after = try #require(try session.store.profile("default"))
            #expect(after.refreshToken != before.refreshToken && after.accessToken != before.accessToken)
            let json = try await InProcessCLI.run(["refresh", "--json", "--quiet"], environment: session.environment)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
            let renewed = try #require(try session.store.profile("default"))
            #expect(object["profile"] as? String == "default" && object["expires_at"] is String && object["user_id"] as? String == "pdsuser-0001")
            #expect(object["access_token"] as? String == Redaction.mask(renewed.accessToken) && !json.stdout.contains(renewed.accessToken))
        }
    }

    struct RefreshFailure: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int32
        var message: String
        var arrange: @Sendable (DevSession) async throws -> [String: String]
        var testDescription: String { name }
    }

    static let failures: [RefreshFailure] = [
        RefreshFailure(name: "rejected refresh token", status: 7, message: "sign in again") { session in
            try await session.store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["default"]?.refreshToken = "not-a-live-refresh-token"
            }
            return [:]
        },
        RefreshFailure(name: "500", status: 8, message: "retry later") { session in
            await session.server.faults.set(.status(500, retryAfter: nil), times: 5)
            return [:]
        },
        // Longer than RetryPolicy.standard waits, so it is reported rather than retried.
        RefreshFailure(name: "503 Retry-After", status: 8, message: "wait 60 s") { session in
            await session.server.faults.set(.status(503, retryAfter: 60), times: 5)
            return [:]
        },
        RefreshFailure(name: "timeout", status: 9, message: "did not answer in time") { session in
            await session.server.faults.set(.delay(milliseconds: 3000), times: 5)
            return ["PDS_AUTH_HTTP_TIMEOUT": "1"]
        },
        RefreshFailure(name: "unreachable host", status: 9, message: "Could not connect") { session in
            try await session.store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["default"]?.endpoints.tokenURL = URL(string: "http://127.0.0.1:9/v2/oauth/token")!
            }
            return [:]
        },
        RefreshFailure(name: "invalid JSON", status: 10, message: "not a JSON object") { session in
            await session.server.faults.set(.invalidJSON, times: 5)
            return [:]
        },
    ]

    @Test(arguments: failures)
    func failedRefreshLeavesTheFileByteIdentical(_ failure: RefreshFailure) async throws {
        try await DevSession.with { session in
            try await session.expireAccessToken()
            let extra = try await failure.arrange(session)
            let before = try session.fileBytes()
            for command in [["token"], ["refresh"]] {
                let result = try await InProcessCLI.run(command, environment: session.environment.merging(extra) { a, _ in a })
                #expect(result.status == failure.status, "\(command) \(result.stderr)")
                #expect(result.stderr.contains(failure.message), "\(result.stderr)")
                #expect(result.stdout.isEmpty, "no token printed on failure")
                #expect(try session.fileBytes() == before, "credentials untouched")
            }
        }
    }

    @Test func statusShowsExpiredRefreshableAndNot() async throws {
        try await DevSession.with { session in
            let live = try #require(try session.store.profile("default"))
            var expired = live
            expired.expiresAt = Date(timeIntervalSinceNow: -3 * 3600 - 60)
            var stuck = expired
            stuck.refreshToken = nil
            try await session.store.save(expired, as: "expired")
            try await session.store.save(stuck, as: "stuck")
            let brief = try await InProcessCLI.run(["status"], environment: session.environment)
            #expect(brief.status == 0 && !brief.stdout.contains("token claims") && !brief.stdout.contains("client id"), "\(brief.stdout)")
            #expect(
                brief.stdout.split(separator: "\n\n").allSatisfy { $0.split(separator: "\n").count <= 6 }, "a few lines per profile: \(brief.stdout)")
            let text = try await InProcessCLI.run(["status", "--claims"], environment: session.environment)
            #expect(text.status == 0)
            #expect(text.stdout.contains("expired 3 h ago") && text.stdout.contains("in 59 min") || text.stdout.contains("in 60 min"))
            #expect(text.stdout.contains("refreshable  no (sign in again when it expires)"))
            #expect(text.stdout.contains("token claims (decoded, signature not verified)"))
            #expect(!text.stdout.contains(live.accessToken) && !text.stdout.contains(live.refreshToken!), "status shows no secrets")
            let json = try await InProcessCLI.run(["status", "--json", "--profile", "stuck"], environment: session.environment)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rows = try #require(object["profiles"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["name"] as? String == "stuck")
            #expect(rows[0]["expired"] as? Bool == true && rows[0]["can_refresh"] as? Bool == false)
            #expect(rows[0]["user"] as? String == "pdsuser" && rows[0]["domain_id"] as? String == "dev")
            let missing = try await InProcessCLI.run(["status", "--profile", "nope"], environment: session.environment)
            #expect(missing.status == 13)
            // `status --verify && …` must not proceed with nobody signed in.
            let nobody = try await InProcessCLI.run(["status", "--verify"], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
            #expect(nobody.status == 13 && nobody.stderr.contains("sign in with `pds-auth login`"), "\(nobody.stderr)")
        }
    }

    @Test func logoutWithoutRevokeRemovesOnlyThatProfile() async throws {
        try await DevSession.with { session in
            let profile = try #require(try session.store.profile("default"))
            try await session.store.save(profile, as: "keep")
            let result = try await InProcessCLI.run(["logout"], environment: session.environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try session.store.load().profiles.keys.sorted() == ["keep"])
            #expect(await session.server.statistics().revocations == 0)
            let again = try await InProcessCLI.run(["token", "--profile", "default"], environment: session.environment)
            #expect(again.status == 13 && again.stderr.contains("There is no profile \"default\""))
            let only = try await InProcessCLI.run(["token"], environment: session.environment)
            #expect(only.status == 0 && only.stdout == profile.accessToken + "\n", "the only profile left is used")
        }
    }

    @Test func logoutWithRevokeKillsTheRefreshToken() async throws {
        try await DevSession.with { session in
            let profile = try #require(try session.store.profile("default"))
            let result = try await InProcessCLI.run(["logout", "--revoke"], environment: session.environment)
            #expect(result.status == 0 && result.stderr.contains("revoked"), "\(result.stderr)")
            #expect(await session.server.statistics().revocations == 1)
            #expect(try session.store.profile("default") == nil)
            let client = TokenClient(
                http: CurlClient(), tokenURL: profile.endpoints.tokenURL, clientID: profile.clientID,
                clientSecret: profile.clientSecret, domainID: profile.domainID)
            do throws(PDSAuthError) {
                _ = try await client.request(.refreshToken(profile.refreshToken!))
                Issue.record("a revoked refresh token must be rejected")
            } catch {
                #expect(error.code == .sessionExpired)
            }
        }
    }
}
