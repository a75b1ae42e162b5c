#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// SIGKILL a process that saves over and over, at random moments: the file must always
/// decode completely and hold one whole save, never a partial or mixed one.
@Suite struct AtomicWriteTests {
    @Test func killedWritersNeverLeaveAPartialFile() async throws {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<25 {
            let writer = CLIProcess([home.path], environment: [:], executable: CLIProcess.binary("StoreWriter"))
            try writer.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...120, using: &generator)))
            kill(writer.process.processIdentifier, SIGKILL)
            _ = try await writer.wait()
            guard FileManager.default.fileExists(atPath: store.filePath) else { continue }
            let file = try CredentialsFile.decode(try Data(contentsOf: URL(fileURLWithPath: store.filePath)), path: store.filePath)
            let profile = try #require(file.profiles["p"])
            let counter = try #require(Int(profile.refreshToken!.dropFirst()))
            #expect(profile.accessToken == "token-\(counter)-" + String(repeating: "x", count: 200_000 + counter % 1000), "token and refresh token come from the same save")
            #expect(fileMode(store.filePath) == 0o600)
            checked += 1
        }
        #expect(checked > 10, "enough kills landed after a first save")
        try await store.save(try #require(try store.profile("p")), as: "q")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "the next save sweeps temp files of killed writers")
    }
}
