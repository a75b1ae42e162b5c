import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth refresh` on a `secret-service` profile killed with SIGKILL at each step of its
/// save (KillShim), against a server that rotates refresh tokens. The order (item, then file,
/// then the old item; see CredentialStore+Secrets.swift) keeps the session at every step but
/// one: killed after the server answered and before the new item was stored, the rotated
/// refresh token exists nowhere, which no client can prevent. After every kill the file
/// points at an item that exists.
@Suite(.serialized, .enabled(if: SecretServiceSession.available, "needs dbus-daemon, gnome-keyring and secret-tool (make test installs them)"))
struct SecretServiceKillTests {
    enum Point: String, CaseIterable, CustomTestStringConvertible {
        /// Before the request is sent: nothing happened anywhere.
        case connect
        /// The server has rotated; the new item is not stored yet: the window.
        case storeBefore = "store-before"
        /// The new item is stored; the file still points at the old one (adopted later).
        case storeAfter = "store-after"
        case writeTemp = "write-temp"
        case fsyncTemp = "fsync-temp"
        case rename
        case fsyncDirectory = "fsync-dir"
        /// The file points at the new item; the old one is not deleted yet.
        case clearBefore = "clear-before"
        var testDescription: String { rawValue }
    }

    /// The file decodes and points at an item that secret-tool finds, holding a whole profile.
    static func consistent(_ session: KeyringSession) async throws -> [String: Any] {
        _ = try CredentialsFile.decode(try session.fileBytes(), path: "")
        return try #require(try await session.pointedItem(), "the file points at an existing item")
    }

    @Test(arguments: Point.allCases)
    func killedAtEachStepTheSessionSurvivesOutsideTheWindow(_ point: Point) async throws {
        try await KeyringSession.with { session in
            let before = try await Self.consistent(session)
            let bytes = try session.fileBytes()
            let refresh = CLIProcess(
                ["refresh", "--quiet"], environment: session.environment.merging(try await KillShim.environment(point.rawValue, 1)) { a, _ in a })
            try refresh.start()
            _ = try await refresh.wait()
            #expect(refresh.diedOf == SIGKILL, "killed at \(point): \(refresh.stderr)")
            let after = try await Self.consistent(session)
            if [.connect, .storeBefore, .storeAfter, .writeTemp].contains(point) {
                #expect(try session.fileBytes() == bytes, "\(point): the file is as it was")
                #expect(after["refreshToken"] as? String == before["refreshToken"] as? String)
            }
            let alive = try await session.run(["refresh", "--quiet"])
            #expect(alive.status == (point == .storeBefore ? 7 : 0), "\(point): \(alive.stderr)")
            if point != .storeBefore {
                _ = try await Self.consistent(session)
                // That refresh may have found the killed one's tokens and saved nothing; this one saves.
                #expect(try await session.run(["refresh", "--quiet"]).status == 0)
                let items = try await session.items()
                let pointed = try session.entry()["secretGeneration"] as? String ?? ""
                #expect(
                    items.count == 1,
                    "\(point): items left over are deleted by the next save: \(items.map { [$0["generation"], $0["basis"]] }) file \(pointed)")
            }
        }
    }

    /// Kills at random moments of a refresh: reported, and the file and the keyring agree
    /// after every one of them.
    @Test func fiftyRandomKills() async throws {
        try await KeyringSession.with { session in
            let started = ContinuousClock.now
            _ = try await session.run(["refresh", "--quiet"])
            let typical = (ContinuousClock.now - started).components
            let span = max(5, Int(typical.seconds * 1000 + typical.attoseconds / 1_000_000_000_000_000))
            var lost = 0
            var landed = 0
            for _ in 0..<50 {
                let refresh = CLIProcess(["refresh", "--quiet"], environment: session.environment)
                try refresh.start()
                // A random moment is the point here, so this sleep stays.
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...span)))
                refresh.kill()
                if try await refresh.wait() == 128 + SIGKILL { landed += 1 }
                _ = try await Self.consistent(session)
                if try await session.run(["refresh", "--quiet"]).status != 0 {
                    lost += 1
                    #expect(try await session.login([]).status == 0)
                }
            }
            print(
                "secret-service refresh kills: 50 at random points over \(span) ms; \(landed) landed before the process finished; sessions lost: \(lost)"
            )
            #expect(lost < 50)
        }
    }
}
