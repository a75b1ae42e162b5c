import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// README: libcurl is opened when the first request is made, so commands that make none work
/// without it, and those that do say what to install. Run in a mount namespace where
/// libcurl.so.4 is an empty file (dlopen fails as if it were not installed).
@Suite struct MissingLibcurlTests {
    static let library = "/usr/lib/x86_64-linux-gnu/libcurl.so.4"
    static var canHideLibcurl: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") && FileManager.default.fileExists(atPath: library)
    }

    /// Runs `pds-auth ARGUMENTS` with libcurl hidden; returns its status and output.
    static func withoutLibcurl(_ arguments: [String], home: String) async throws -> (status: Int32, output: String) {
        let real = try FileManager.default.destinationOfSymbolicLink(atPath: library)
        let target = real.hasPrefix("/") ? real : (library as NSString).deletingLastPathComponent + "/" + real
        let script = #"mount --bind /dev/null "$1" && shift && exec "$@""#
        return try await ChildTool.run(
            "/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, "sh", target, CLIProcess.binary()] + arguments,
            environment: ["PDS_AUTH_HOME": home, "PATH": "/usr/bin:/bin"])
    }

    @Test(.enabled(if: canHideLibcurl, "needs root, unshare and Debian's libcurl (CI runs as root)"))
    func offlineCommandsWorkAndNetworkOnesSayWhatToInstall() async throws {
        let home = TemporaryDirectory()
        let profile = try StoredProfile.fixture(
            endpoint: "http://127.0.0.1:9", redirectURI: "http://127.0.0.1:8765/callback", accessToken: "fresh-token")
        try await CredentialStore(directory: home.path).save(profile, as: "dev", makeCurrent: true)
        let token = try await Self.withoutLibcurl(["token"], home: home.path)
        #expect(token.status == 0 && token.output == "fresh-token\n", "\(token.output)")
        let status = try await Self.withoutLibcurl(["status"], home: home.path)
        #expect(status.status == 0 && status.output.contains("dev"), "\(status.output)")
        let refresh = try await Self.withoutLibcurl(["refresh"], home: home.path)
        #expect(refresh.status == 3 && refresh.output.contains("Install libcurl"), "\(refresh.output)")
        #expect(try CredentialStore(directory: home.path).profile("dev")?.accessToken == "fresh-token")
    }
}
