import Foundation
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

@Suite struct CredentialStoreTests {
    static func profile(_ token: String) throws -> StoredProfile {
        StoredProfile(grant: "authorization_code", endpoints: try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:1", domainID: nil),
                      domainID: "dev", clientID: "c", clientSecret: "s", redirectURI: "http://127.0.0.1:8765/callback", scope: nil,
                      caBundlePath: nil, accessToken: token, refreshToken: "r-\(token)", tokenType: "Bearer",
                      expiresAt: Date(timeIntervalSince1970: 2_000_000_000), obtainedAt: Date(timeIntervalSince1970: 1_000_000_000), user: nil)
    }

    @Test func savesWithPrivatePermissions() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("nested/pds-auth"))
        try await store.save(try Self.profile("a"), as: "default")
        #expect(fileMode(store.directory) == 0o700)
        #expect(fileMode(store.filePath) == 0o600)
        #expect(try store.profile("default") == (try Self.profile("a")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no temp files remain")
    }

    @Test func savingOneProfileKeepsTheOthers() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("a"), as: "one")
        try await store.save(try Self.profile("b"), as: "two")
        try await store.save(try Self.profile("c"), as: "one")
        let file = try store.load()
        #expect(file.profiles.keys.sorted() == ["one", "two"])
        #expect(file.profiles["one"]?.accessToken == "c" && file.profiles["two"]?.accessToken == "b")
        let removed = try await store.remove("one")
        let removedAgain = try await store.remove("one")
        #expect(removed && !removedAgain)
    }

    @Test func tightensAnOpenDirectory() async throws {
        let temp = TemporaryDirectory()
        chmod(temp.path, 0o755)
        try await CredentialStore(directory: temp.path).save(try Self.profile("a"), as: "p")
        #expect(fileMode(temp.path) == 0o700)
    }

    @Test func failedUpdateWritesNothing() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("a"), as: "p")
        let before = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        await #expect(throws: PDSAuthError.self) {
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["p"]?.accessToken = "changed"
                throw PDSAuthError(.tokenRejected, code: "x", "refused")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
    }

    @Test func corruptOrNewerFileIsNeverOverwritten() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        for content in ["{not json", #"{"version":99,"profiles":{}}"#] {
            try Data(content.utf8).write(to: URL(fileURLWithPath: store.filePath))
            await #expect(throws: PDSAuthError.self) { try await store.save(try Self.profile("a"), as: "p") }
            #expect(try String(contentsOfFile: store.filePath, encoding: .utf8) == content)
        }
    }

    @Test func lockWaitIsBoundedAndExplained() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path, lockTimeout: 0.3)
        try store.ensureDirectory()
        let held = try await FileLock.acquire(path: store.lockPath, timeout: 1)
        let started = ContinuousClock.now
        do {
            try await store.save(try Self.profile("a"), as: "p")
            Issue.record("expected a lock timeout")
        } catch let error as PDSAuthError {
            #expect(error.code == "lock_timeout" && error.status == .credentialStore)
        }
        // The holder never lets go, so an unbounded wait would never end; the margin over the
        // 0.3 s timeout is for a CI machine busy with the other suites.
        #expect(ContinuousClock.now - started < .seconds(10))
        held.release()
        try await store.save(try Self.profile("a"), as: "p")
    }
}
