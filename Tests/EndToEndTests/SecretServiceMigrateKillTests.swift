import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth store migrate` killed with SIGKILL at each step of its save (KillShim), both
/// ways. A migration talks to no server, so it has no window: wherever it dies, the profile
/// is either still where it was or already where it went, and it keeps refreshing.
@Suite(.serialized, .enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceMigrateKillTests {
    static let steps = ["store-before", "store-after", "write-temp", "wrote-temp", "fsync-temp", "rename", "fsync-dir", "clear-before"]

    @Test(arguments: ["file", "secret-service"], steps)
    func killedAtEachStepTheProfileIsInOneStoreAndWorks(_ target: String, _ step: String) async throws {
        try await KeyringSession.with { session in
            if target == "secret-service" {
                #expect(try await session.run(["store", "migrate", "--to", "file", "--yes"]).status == 0)
            }
            let migrate = CLIProcess(
                ["store", "migrate", "--to", target, "--yes"],
                environment: session.environment.merging(try await KillShim.environment(step, 1)) { a, _ in a })
            try migrate.start()
            let status = try await migrate.wait()
            // Moving to the file stores no item; every other step is reached, and killed there.
            let reached = !(target == "file" && step.hasPrefix("store-"))
            #expect(reached ? migrate.diedOf == SIGKILL : status == 0, "\(target) \(step): \(migrate.stderr)")
            let entry = try session.entry()
            if entry["store"] as? String == "secret-service" {
                #expect(entry["refreshToken"] == nil, "\(step): a secret-service entry holds no secret")
                _ = try #require(try await session.pointedItem(), "\(step): the file points at an existing item")
            } else {
                #expect(entry["refreshToken"] != nil, "\(step): a file entry holds its refresh token")
            }
            for round in 1...2 {
                let refresh = try await session.run(["refresh", "--quiet"])
                #expect(refresh.status == 0, "\(target) killed at \(step), refresh \(round): \(refresh.stderr)")
            }
            // Finished again, the migration leaves the profile in the target store.
            #expect(try await session.run(["store", "migrate", "--to", target, "--yes"]).status == 0)
            #expect((try session.entry()["store"] as? String ?? "file") == target)
        }
    }
}
