import Foundation
import PDSAuthTestSupport
import Testing

/// `CSecretLoader` declares the part of libsecret's and GLib's ABI it uses instead of
/// including their headers (which would link them: see libsecret_abi.h). This compiles those
/// declarations against Debian's libsecret-1-dev: a layout, constant or prototype that
/// differs is a compile error here, before it is a crash at run time.
@Suite(
    .enabled(
        if: FileManager.default.fileExists(atPath: "/usr/include/libsecret-1/libsecret/secret.h"),
        "needs libsecret-1-dev (make test installs it)"))
struct SecretABITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test(arguments: ["layouts and constants", "prototypes"])
    func declarationsMatchLibsecret(_ part: String) async throws {
        let flags = try await ChildTool.run("/usr/bin/pkg-config", ["--cflags", "libsecret-1"])
        #expect(flags.status == 0, "\(flags.output)")
        let arguments =
            ["-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-variable"] + (part == "prototypes" ? ["-DPDS_SECRET_ABI_CHECK"] : [])
            + flags.output.split(whereSeparator: \.isWhitespace).map(String.init)
            + ["-I", Self.repository + "/Sources/CSecretLoader", Self.repository + "/Tests/Shims/libsecret_abi_check.c"]
        let check = try await ChildTool.run("/usr/bin/cc", arguments)
        #expect(check.status == 0, "\(check.output)")
    }
}
