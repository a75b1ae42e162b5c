import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import Testing

/// A writer killed with SIGKILL at every step of a save: the file is always one whole save
/// (never partial, never mixed), and a complete save that was killed before its rename is
/// adopted by the next writer. Deterministic: each kill lands on a chosen call (KillShim),
/// so a writer that wrote in place instead of temp + rename fails every run.
@Suite struct AtomicWriteTests {
    static let writer = CLIProcess.binary("StoreWriter")

    /// The counter of the save the file holds (0 when there is none), checking that both
    /// tokens come from that one save.
    static func savedCounter(_ store: CredentialStore) throws -> Int {
        guard FileManager.default.fileExists(atPath: store.filePath) else { return 0 }
        let file = try CredentialsFile.decode(try Data(contentsOf: URL(fileURLWithPath: store.filePath)), path: store.filePath)
        let profile = try #require(file.profiles["p"], "the file holds a whole profile")
        let counter = try #require(Int(profile.refreshToken!.dropFirst()))
        #expect(
            profile.accessToken == "token-\(counter)-" + String(repeating: "x", count: 8000 + counter % 1000),
            "token and refresh token come from the same save")
        #expect(fileMode(store.filePath) == 0o600)
        return counter
    }

    enum Step: String, CaseIterable, CustomTestStringConvertible {
        case writeTemp = "write-temp"
        case fsyncTemp = "fsync-temp"
        case rename
        case fsyncDirectory = "fsync-dir"
        var testDescription: String { rawValue }
    }

    @Test(arguments: Step.allCases)
    func killedAtEachStepTheFileIsOneWholeSave(_ step: Step) async throws {
        for save in 1...3 {
            let home = TemporaryDirectory()
            let store = CredentialStore(directory: home.path)
            let writer = CLIProcess([home.path, "3"], environment: try await KillShim.environment(step.rawValue, save), executable: Self.writer)
            try writer.start()
            _ = try await writer.wait()
            #expect(
                writer.diedOf == SIGKILL,
                "killed at \(step) of save \(save)")
            // Killed before its rename, save N is not visible yet; killed after, it is.
            let visible = try Self.savedCounter(store)
            #expect(visible == (step == .fsyncDirectory ? save : save - 1), "\(step) of save \(save): the file holds save \(visible)")
            // The next writer: a complete temp file (its data all written) is adopted, a
            // partial one removed; either way the file is one whole save afterwards.
            try await store.update { (_: inout CredentialsFile) throws(PDSAuthError) in }
            let recovered = try Self.savedCounter(store)
            #expect(recovered == (step == .writeTemp ? save - 1 : save), "after recovery from \(step) of save \(save): save \(recovered)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".tmp-") }.isEmpty)
        }
    }
}
