import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The token file `pds-auth exec` keeps for its program.
@Suite struct TokenFileKeeperTests {
    /// A renewal that completes as the program ends (after `remove()` has begun) writes
    /// nothing: no access token is left behind in a removed directory.
    @Test func nothingIsWrittenOnceRemovalHasBegun() throws {
        let home = TemporaryDirectory()
        let root = TemporaryDirectory()
        let profile = try StoredProfile.fixture(endpoint: "http://127.0.0.1:1", accessToken: "first-token", refreshToken: nil)
        let keeper = try TokenFileKeeper(
            provider: TokenProvider(store: CredentialStore(directory: home.path)), profile: "dev",
            minValid: .seconds(60), first: profile, roots: try TemporaryRoot.choose(environment: ["TMPDIR": root.path]))
        #expect(try String(contentsOfFile: keeper.path, encoding: .utf8) == "first-token\n")
        keeper.remove()
        #expect(!FileManager.default.fileExists(atPath: keeper.directory))
        try keeper.write("renewed-token")
        #expect(!FileManager.default.fileExists(atPath: keeper.directory), "a late write recreated nothing")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }
}
