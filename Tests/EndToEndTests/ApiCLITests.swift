import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth api` against the dev server's PDS resource API.
@Suite struct ApiCLITests {
    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func aCallPrintsTheAnswerAsReceived() async throws {
        try await DevSession.with { session in
            let result = try await InProcessCLI.run(["api", "/v2/user/get"], environment: session.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let user = try #require(try Self.json(result.stdout) as? [String: Any])
            #expect(user["user_name"] as? String == "pdsuser" && user["domain_id"] as? String == "dev")
            #expect(user["created_at"] is NSNumber, "numbers stay numbers")
            #expect(!result.stdout.contains("\n  "), "not re-indented when stdout is not a terminal")
            let token = try #require(try session.store.profile("default")).accessToken
            #expect(!result.stdout.contains(token) && !result.stderr.contains(token), "the token is never printed")
        }
    }

    @Test func paginateFollowsNextMarkerThroughEveryPage() async throws {
        try await DevSession.with { session in
            let result = try await InProcessCLI.run(
                ["api", "/v2/file/list", "-d", #"{"drive_id":"1","parent_file_id":"root","limit":100}"#, "--paginate"],
                environment: session.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let items = try #require(try Self.json(result.stdout) as? [[String: Any]])
            let ids = items.compactMap { $0["file_id"] as? String }
            #expect(items.count == 252 && Set(ids).count == 252, "every entry exactly once")
            #expect(ids.first == "folder-documents" && ids.last == "file-250")
            #expect(await session.server.statistics().resourceRequests["/v2/file/list"] == 3, "three pages of 100, 100, 52")
        }
    }

    /// The server finds the token expired before the file does: one 401, one forced
    /// renewal, one retry, and the answer.
    @Test func anExpiredAccessTokenIsRenewedOnceAndTheCallRetried() async throws {
        // 4 s: the renewed token must still be valid when the retry reaches the server, on a
        // busy machine too (1 s was not, once). The sleep is the point: the server's clock
        // must pass the token's expiry while the file still calls it valid.
        try await DevSession.with(accessTokenLifetime: 4) { session in
            try await session.store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["default"]?.expiresAt = Date(timeIntervalSinceNow: 3600)
            }
            try await Task.sleep(for: .milliseconds(4500))
            let result = try await InProcessCLI.run(["api", "/v2/user/get"], environment: session.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let stats = await session.server.statistics()
            #expect(stats.resourceUnauthorized == 1 && stats.resourceRequests["/v2/user/get"] == 2)
            #expect(stats.tokenRequests["refresh_token"] == 1)
        }
    }

    /// A session revoked at the server: the forced renewal is refused too, exit 7, and no
    /// third attempt.
    @Test func aRevokedGrantIsRefusedAfterOneRenewalAttempt() async throws {
        try await DevSession.with { session in
            let profile = try #require(try session.store.profile("default"))
            // Revoke at the server only; the local file still holds the (now dead) tokens.
            let revoke = HTTPClientRequest(
                method: .post, url: URL(string: session.base + "/v2/account/revoke")!,
                headerFields: [.contentType: "application/json"],
                body: Data(#"{"app_id":"\#(profile.clientID)","refresh_token":"\#(profile.refreshToken!)"}"#.utf8))
            #expect(try await CurlClient().send(revoke).status == 204)
            let result = try await InProcessCLI.run(["api", "/v2/user/get"], environment: session.environment)
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stderr.contains("sign in again"), "\(result.stderr)")
            let stats = await session.server.statistics()
            #expect(stats.resourceRequests["/v2/user/get"] == 1 && stats.tokenRequests["refresh_token"] == 1, "one renewal attempt, no retry")
        }
    }

    @Test func refusalsAreOneLineWithTheServersCodeAndExitFifteen() async throws {
        try await DevSession.with { session in
            let result = try await InProcessCLI.run(
                ["api", "/v2/file/list", "-d", #"{"drive_id":"2","parent_file_id":"root"}"#],
                environment: session.environment)
            #expect(result.status == 15, "\(result.stderr)")
            let first = result.stderr.split(separator: "\n").first ?? ""
            #expect(first.contains("Forbidden") && first.contains("request id"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func badRequestsAreRefusedBeforeSending() async throws {
        try await DevSession.with { session in
            for arguments in [
                ["/v2/user/get", "-d", "not json"], ["https://evil.example/v2/user/get"], ["/v2/../../x"],
                ["/v2/user/get", "-H", "Authorization: Bearer x"], ["/v2/user/get", "-X", "GET POST"],
            ] {
                let result = try await InProcessCLI.run(["api"] + arguments, environment: session.environment)
                #expect(result.status == 2, "\(arguments): \(result.stderr)")
            }
            #expect(await session.server.statistics().resourceRequests.isEmpty, "nothing was sent")
        }
    }

    @Test func includeShowsStatusAndHeaders() async throws {
        try await DevSession.with { session in
            let result = try await InProcessCLI.run(["api", "-i", "/v2/drive/list"], environment: session.environment)
            #expect(
                result.status == 0 && result.stdout.hasPrefix("HTTP/1.1 200 OK\n"),
                "the server's status line with its reason phrase: \(result.stdout)")
            #expect(result.stdout.lowercased().contains("x-ca-request-id:"))
        }
    }

    /// On a terminal the answer is re-indented, members in the server's order, and anything a
    /// terminal could act on inside strings is escaped.
    @Test func prettyPrintingKeepsOrderAndEscapesTerminalControls() {
        let text = JSONText(Array(#"{"z":1,"a":[],"n":12345678901234567890,"s":"x\#u{202E}y\#u{9B}"}"#.utf8))!
        #expect(text.prettyForTerminal == "{\n  \"z\": 1,\n  \"a\": [],\n  \"n\": 12345678901234567890,\n  \"s\": \"x\\u202ey\\u009b\"\n}")
        #expect(JSONText(Array(text.prettyForTerminal.utf8))?.compact == #"{"z":1,"a":[],"n":12345678901234567890,"s":"x\u202ey\u009b"}"#)
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\u{1}\"", String(repeating: "[", count: 600) + String(repeating: "]", count: 600)] {
            #expect(JSONText(Array(bad.utf8)) == nil, "\(bad.prefix(20))")
        }
    }
}

/// An API answer is bounded: a server sending more than pds-auth reads is an invalid
/// response (exit 10), not memory exhausted.
@Suite struct ApiBoundsTests {
    @Test func anOversizedAnswerIsRefused() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, "[" + String(repeating: "1,", count: 17 << 20) + "1]") }) { server in
            let home = TemporaryDirectory()
            let profile = try StoredProfile.fixture(endpoint: server.baseURL, domainID: nil, accessToken: "a-valid-token", refreshToken: nil)
            try await CredentialStore(directory: home.path).save(profile, as: "p")
            let result = try await InProcessCLI.run(["api", "/v2/file/list"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 10 && result.stderr.contains("larger than pds-auth accepts"), "\(result.stderr)")
        }
    }
}
