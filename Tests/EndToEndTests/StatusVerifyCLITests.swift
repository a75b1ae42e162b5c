import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `status --verify`: the server's word beside the local view.
@Suite struct StatusVerifyCLITests {
    @Test func aWorkingSignInIsVerified() async throws {
        try await DevSession.with { session in
            let text = try await InProcessCLI.run(["status", "--verify"], environment: session.environment)
            #expect(
                text.status == 0 && text.stdout.contains("works: signed in as pdsuser (id pdsuser-0001, role admin, domain dev, drive 1)"),
                "\(text.stdout)\(text.stderr)")
            let json = try await InProcessCLI.run(["status", "--verify", "--json"], environment: session.environment)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let row = try #require((object["profiles"] as? [[String: Any]])?.first)
            let verified = try #require(row["verified"] as? [String: Any])
            #expect(verified["ok"] as? Bool == true && (verified["user"] as? [String: Any])?["role"] as? String == "admin")
            #expect(object["current"] as? String == "default" && row["current"] as? Bool == true)
        }
    }

    @Test func aRevokedSignInFailsVerificationWithExitSeven() async throws {
        try await DevSession.with { session in
            let profile = try #require(try session.store.profile("default"))
            let revoke = HTTPClientRequest(
                method: .post, url: URL(string: session.base + "/v2/account/revoke")!,
                headerFields: [.contentType: "application/json"],
                body: Data(#"{"app_id":"\#(profile.clientID)","refresh_token":"\#(profile.refreshToken!)"}"#.utf8))
            _ = try await CurlClient().send(revoke)
            let json = try await InProcessCLI.run(["status", "--verify", "--json"], environment: session.environment)
            #expect(json.status == 7, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let verified = try #require(((object["profiles"] as? [[String: Any]])?.first)?["verified"] as? [String: Any])
            #expect(verified["ok"] as? Bool == false && (verified["error"] as? [String: Any])?["code"] as? String == "session_expired")
        }
    }

    /// `status --json`: claims as the JSON values they are, times as RFC 3339, nothing
    /// truncated, no escaped slashes.
    @Test func statusJSONFollowsItsSchema() async throws {
        try await DevSession.with { session in
            let json = try await InProcessCLI.run(["status", "--json"], environment: session.environment)
            #expect(!json.stdout.contains(#"\/"#))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let row = try #require((object["profiles"] as? [[String: Any]])?.first)
            let claims = try #require(row["claims"] as? [String: Any])
            #expect(claims["exp"] is NSNumber && claims["iat"] is NSNumber)
            let custom = try #require(claims["customJson"] as? String)
            #expect(custom.hasPrefix("{") && custom.hasSuffix("}") && !custom.contains("…"), "nothing truncated")
            #expect((row["expires_at"] as? String)?.hasSuffix("Z") == true && row["expires_in"] is NSNumber)
            #expect(row["endpoint"] as? String == session.base)
        }
    }
}
