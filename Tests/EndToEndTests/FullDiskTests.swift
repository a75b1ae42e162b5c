import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// A save that cannot happen. Before a refresh, pds-auth claims the room the new file needs,
/// so a full disk stops it before the server rotates anything; a save that fails anyway after
/// the server answered says what that means (the old refresh token is likely dead) instead of
/// "unchanged".
@Suite(.serialized) struct FullDiskTests {
    /// A 256 KiB tmpfs, mounted for the test and unmounted after.
    static func withSmallDisk(_ body: (String) async throws -> Void) async throws {
        let mountPoint = TemporaryDirectory()
        let mounted = try await ChildTool.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mountPoint.path])
        try #require(mounted.status == 0, "\(mounted.output)")
        do {
            try await body(mountPoint.path)
            try await ChildTool.run("/bin/umount", [mountPoint.path])
        } catch {
            try await ChildTool.run("/bin/umount", [mountPoint.path])
            throw error
        }
    }

    /// Fills the filesystem holding `directory` with a file `filler`.
    static func fill(_ directory: String) {
        let descriptor = open(directory + "/filler", O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 1, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        var byte: UInt8 = 1
        while write(descriptor, &byte, 1) > 0 {}
        close(descriptor)
    }

    /// Gives back `bytes` of the space `fill` took.
    static func free(_ bytes: Int, in directory: String) {
        var info = stat()
        stat(directory + "/filler", &info)
        truncate(directory + "/filler", info.st_size - off_t(bytes))
    }

    /// Saves that reach no server have nothing to protect by claiming room first: with
    /// 32 KiB free (less than a refresh claims: the file's size and 64 KiB), `switch` and
    /// `logout` still work, as they did before room was claimed for every save (they failed
    /// with "not enough free space", a no-op `switch` too).
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small filesystem"))
    func aNearlyFullDiskStillLetsProfilesBeSwitchedAndRemoved() async throws {
        try await DevSession.with { session in
            try await Self.withSmallDisk { disk in
                let home = disk + "/home"
                mkdir(home, 0o700)
                try FileManager.default.copyItem(atPath: session.store.filePath, toPath: home + "/credentials.json")
                let store = CredentialStore(directory: home)
                try await store.save(try #require(try store.profile("default")), as: "second")
                Self.fill(disk)
                Self.free(32 << 10, in: disk)
                for command in [["switch", "second"], ["switch", "second"], ["logout", "--profile", "default"]] {
                    let result = try await CLIProcess.run(command, environment: ["PDS_AUTH_HOME": home])
                    #expect(result.status == 0, "\(command): \(result.stderr)")
                }
                #expect(Set(try store.load().profiles.keys) == ["second"])
            }
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to mount a small filesystem"))
    func aFullDiskStopsARefreshBeforeItReachesTheServer() async throws {
        try await DevSession.with { session in
            try await session.expireAccessToken()
            try await Self.withSmallDisk { disk in
                let home = disk + "/home"
                mkdir(home, 0o700)
                try FileManager.default.copyItem(atPath: session.store.filePath, toPath: home + "/credentials.json")
                Self.fill(disk)
                let before = try Data(contentsOf: URL(fileURLWithPath: home + "/credentials.json"))
                for command in [["refresh"], ["token"], ["api", "/v2/user/get"]] {
                    let result = try await CLIProcess.run(command, environment: ["PDS_AUTH_HOME": home])
                    #expect(
                        result.status == 11 && result.stderr.contains("not enough free space") && result.stderr.contains("nothing was sent"),
                        "\(command): \(result.stderr)")
                }
                #expect(await session.server.statistics().tokenRequests["refresh_token", default: 0] == 0, "nothing reached the server")
                #expect(try Data(contentsOf: URL(fileURLWithPath: home + "/credentials.json")) == before)
                unlink(disk + "/filler")
                let after = try await CLIProcess.run(["refresh"], environment: ["PDS_AUTH_HOME": home])
                #expect(after.status == 0, "the saved session still works once there is room: \(after.stderr)")
            }
        }
    }

    /// The save fails after the server has rotated (here: the rename fails, EIO). The message
    /// says so and what to do; exit 11.
    @Test func aSaveThatFailsAfterTheServerAnsweredSaysTheSessionIsLikelyLost() async throws {
        try await DevSession.with { session in
            let refresh = try await CLIProcess.run(
                ["refresh"], environment: session.environment.merging(try await KillShim.failing("rename", 1)) { a, _ in a })
            #expect(refresh.status == 11, "\(refresh.stderr)")
            #expect(
                refresh.stderr.contains("issued new tokens") && refresh.stderr.contains("could not be saved")
                    && refresh.stderr.contains("sign in again"), "\(refresh.stderr)")
            #expect(!refresh.stderr.contains("credentials are unchanged"), "\(refresh.stderr)")
            #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1)
        }
    }
}
