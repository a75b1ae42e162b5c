import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// The `secret-service` store against a real Secret Service (GNOME Keyring on a private
/// bus), every item checked independently with `secret-tool`.
@Suite(.enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceCLITests {
    @Test func loginKeepsTheSecretsInTheKeyringAndNoneInTheFile() async throws {
        try await KeyringSession.with { session in
            let entry = try session.entry()
            #expect(entry["store"] as? String == "secret-service")
            for key in ["accessToken", "refreshToken", "clientSecret"] { #expect(entry[key] == nil, "\(key) in the file") }
            let item = try #require(try await session.pointedItem(), "the file points at an item secret-tool finds")
            let refresh = try #require(item["refreshToken"] as? String)
            let access = try #require(item["accessToken"] as? String)
            #expect(item["clientSecret"] as? String == session.clientSecret)
            let bytes = String(decoding: try session.fileBytes(), as: UTF8.self)
            for secret in [refresh, access, session.clientSecret] { #expect(!bytes.contains(secret), "a secret in credentials.json") }
            #expect(try await session.items().count == 1)
            let token = try await session.run(["token"])
            #expect(token.status == 0 && token.stdout == access + "\n", "\(token.stderr)")
            let status = try await session.run(["status"])
            #expect(status.stdout.contains("store        secret-service"), "\(status.stdout)")
            #expect(!status.stdout.contains(access) && !status.stdout.contains(refresh))
            let json = try await session.run(["status", "--json"])
            let rows = try #require(
                (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["profiles"] as? [[String: Any]])
            #expect(rows.first?["store"] as? String == "secret-service" && rows.first?["can_refresh"] as? Bool == true, "\(json.stdout)")
        }
    }

    /// `doctor` opens a `secret-service` profile as a command would: its secrets are read
    /// from the keyring (so it is usable and can renew), the store is named, none is shown.
    @Test func doctorOpensTheProfileThroughTheKeyring() async throws {
        try await KeyringSession.with { session in
            let item = try #require(try await session.pointedItem())
            let doctor = try await session.run(["doctor", "--json"] + DoctorRun.anyPort)
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any], "\(doctor.stdout)\(doctor.stderr)")
            let profile = try #require((json["checks"] as? [[String: Any]])?.first { $0["check"] as? String == "profile" }, "\(doctor.stdout)")
            let facts = try #require(profile["facts"] as? [String: Any], "\(profile)")
            #expect(profile["status"] as? String == "ok", "\(profile)")
            #expect(facts["store"] as? String == "secret-service" && facts["has_refresh_token"] as? Bool == true, "\(facts)")
            for secret in [item["refreshToken"], item["accessToken"], item["clientSecret"]].compactMap({ $0 as? String }) {
                #expect(!doctor.stdout.contains(secret) && !doctor.stderr.contains(secret), "a secret in doctor's output")
            }
        }
    }

    /// A refresh stores a new generation, points the file at it, and deletes the old one.
    @Test func refreshRotatesInTheKeyring() async throws {
        try await KeyringSession.with { session in
            let before = try #require(try await session.pointedItem())
            let generation = try session.entry()["secretGeneration"] as? String
            let refresh = try await session.run(["refresh"])
            #expect(refresh.status == 0, "\(refresh.stderr)")
            let after = try #require(try await session.pointedItem())
            #expect(try session.entry()["secretGeneration"] as? String != generation)
            #expect(after["refreshToken"] as? String != before["refreshToken"] as? String)
            let items = try await session.items()
            #expect(items.count == 1 && items.first?["generation"] == after["secretGeneration"] as? String, "the old generation is gone: \(items)")
            #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1)
            let token = try await session.run(["token"])
            #expect(token.stdout == (after["accessToken"] as? String ?? "") + "\n")
        }
    }

    @Test func twentyProcessesRefreshOnce() async throws {
        try await KeyringSession.with { session in
            try session.expireAccessToken()
            let before = try #require(try await session.pointedItem())
            let processes = (0..<20).map { _ in CLIProcess(["token"], environment: session.environment) }
            for process in processes { try process.start() }
            var outputs: Set<String> = []
            for process in processes {
                #expect(try await process.wait() == 0, "\(process.stderr)")
                outputs.insert(process.stdout)
            }
            #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1, "exactly one refresh reached the server")
            let after = try #require(try await session.pointedItem())
            #expect(outputs == [(after["accessToken"] as? String ?? "") + "\n"], "all 20 print the saved token")
            #expect(after["refreshToken"] as? String != before["refreshToken"] as? String)
            #expect(try await session.items().count == 1)
            let again = try await session.run(["refresh"])
            #expect(again.status == 0, "the saved refresh token is the live one: \(again.stderr)")
        }
    }

    @Test func aFailedRefreshLeavesTheFileAndTheItemUntouched() async throws {
        try await KeyringSession.with { session in
            try session.expireAccessToken()
            let bytes = try session.fileBytes()
            let items = try await session.items()
            await session.server.faults.set(.status(500, retryAfter: nil), times: 10)
            for command in [["token"], ["refresh"]] {
                let result = try await session.run(command)
                #expect(result.status == 8 && result.stdout.isEmpty, "\(result.stderr)")
            }
            #expect(try session.fileBytes() == bytes)
            #expect(try await session.items() == items, "the same item, same secret")
        }
    }

    @Test func logoutRemovesTheItems() async throws {
        try await KeyringSession.with { session in
            #expect(try await session.items().count == 1)
            let id = try session.entry()["secretID"] as? String
            let logout = try await session.run(["logout"])
            #expect(logout.status == 0, "\(logout.stderr)")
            #expect(try await session.keyring.items().filter { $0["profile-id"] == id }.isEmpty)
            #expect(try session.store.load().names.isEmpty)
        }
    }
}
