// swift-format-ignore-file: OrderedImports
// (The example's own import stays inside it, after the test's imports.)
import Foundation
import PDSAuthTestSupport
import PDSDevServer
import Testing

// The example of README's "Using PDSAuth from Swift", verbatim: the test below checks that
// README shows exactly this text, and runs it against the dev server.
// README-EXAMPLE-BEGIN
import PDSAuth

/// Signs in once in the browser (listener, PKCE, state, exchange and save are pds-auth's),
/// then returns a valid access token, renewed under the lock when it nears expiry, exactly
/// as `pds-auth token` does.
func accessToken(
    endpoint: String, domainID: String, clientID: String, directory: String,
    open: @escaping @Sendable (String) async -> Void
) async throws -> String {
    let store = CredentialStore(directory: directory)
    if try store.profile("app") == nil {
        let configuration = LoginConfiguration(
            endpoints: try ProviderEndpoints.resolve(endpoint: endpoint, domainID: domainID), domainID: domainID,
            clientID: clientID, clientSecret: nil, redirects: [try RedirectTarget(parsing: "http://127.0.0.1:0/callback")],
            scope: nil, loginType: "default", profileName: "app", store: store)
        _ = try await BrowserSignIn(configuration: configuration).withListener { session in
            await open(session.startURL)  // the listener answers the browser meanwhile
            return try await session.result
        }
    }
    return try await TokenProvider(store: store).validProfile("app", minValid: .seconds(300)).accessToken
}
// README-EXAMPLE-END

@Suite struct LibraryExampleTests {
    static let here = URL(fileURLWithPath: #filePath)

    @Test func readmeShowsThisExampleVerbatim() throws {
        let source = try String(contentsOf: Self.here, encoding: .utf8)
        let example = try #require(
            source.components(separatedBy: "// README-EXAMPLE-BEGIN\n").dropFirst().first?
                .components(separatedBy: "// README-EXAMPLE-END").first)
        let readme = try String(
            contentsOf: Self.here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + example + "```"), "README's example and this file have drifted apart")
    }

    /// The example needs nothing but the public API: it is type-checked as another module
    /// would see PDSAuth (no package name, so `package` declarations are out of reach), and a
    /// line that uses a package type is refused the same way (so the check can fail).
    @Test func theExampleUsesOnlyThePublicAPI() async throws {
        let source = try String(contentsOf: Self.here, encoding: .utf8)
        let example = try #require(
            source.components(separatedBy: "// README-EXAMPLE-BEGIN\n").dropFirst().first?.components(separatedBy: "// README-EXAMPLE-END").first)
        let files = TemporaryDirectory()
        try example.write(toFile: files.file("Example.swift"), atomically: true, encoding: .utf8)
        try (example + "\nlet hidden = Redaction.mask(\"a\")\n").write(toFile: files.file("Hidden.swift"), atomically: true, encoding: .utf8)
        let outside = try await Self.typecheck(files.file("Example.swift"))
        #expect(outside.status == 0, "the example needs more than the public API: \(outside.stderr)")
        let hidden = try await Self.typecheck(files.file("Hidden.swift"))
        #expect(hidden.status != 0 && hidden.stderr.contains("cannot find 'Redaction' in scope"), "\(hidden.stderr)")
    }

    /// `swiftc -typecheck` of `file` against the modules this test bundle was built with.
    static func typecheck(_ file: String) async throws -> (status: Int32, stdout: String, stderr: String) {
        let products = CLIProcess.productsDirectory.path
        let root = Self.here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        // The C modules the Swift modules import: the packages' own module maps, and the ones
        // SwiftPM wrote for C targets that have none (`Target.build/module.modulemap`; the
        // deeper ones describe Swift modules' headers).
        var maps: [String] = []
        for directory in [root + "/.build/checkouts", root + "/Sources", products] {
            guard let walker = FileManager.default.enumerator(atPath: directory) else { continue }
            while let path = walker.nextObject() as? String {
                guard path.hasSuffix("module.modulemap"), directory != products || path.split(separator: "/").count == 2 else { continue }
                maps += ["-Xcc", "-fmodule-map-file=\(directory)/\(path)"]
            }
        }
        let swiftc =
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/swiftc" }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/opt/swift/usr/bin/swiftc"
        let process = CLIProcess(
            ["-typecheck", file, "-I", products + "/Modules", "-module-name", "Example"] + maps, environment: [:], executable: swiftc)
        try process.start()
        let status = try await process.wait()
        return (status, process.stdout, process.stderr)
    }

    @Test func theExampleSignsInOnceThenReusesTheToken() async throws {
        let home = TemporaryDirectory()
        try await DevServer.withRunning(DevSession.configuration()) { server, base in
            let native = try #require(server.configuration.apps.first { $0.clientSecret == nil && !$0.redirectURIs.isEmpty })
            let opened = LockedValue(0)
            let first = try await accessToken(endpoint: base, domainID: "dev", clientID: native.clientID, directory: home.path) { startURL in
                opened.update { $0 += 1 }
                try? await DevSession.approve(startURL: startURL, base: base)
            }
            let second = try await accessToken(endpoint: base, domainID: "dev", clientID: native.clientID, directory: home.path) { _ in
                opened.update { $0 += 1 }
            }
            #expect(first == second && opened.value == 1, "signed in once, then the saved token")
        }
    }
}
