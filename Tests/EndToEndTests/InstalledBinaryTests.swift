import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// What `make install` ships, checked where it was installed. `make test` installs into a
/// temporary prefix and names it in `PDS_AUTH_INSTALLED`; the other end-to-end tests then run
/// that binary too (see `CLIProcess.binary`). Without the variable there is nothing to check.
@Suite(.enabled(if: CLIProcess.installedPrefix != nil, "set PDS_AUTH_INSTALLED to a prefix `make install` wrote"))
struct InstalledBinaryTests {
    let prefix = CLIProcess.installedPrefix ?? ""
    var binary: String { prefix + "/bin/pds-auth" }

    /// README: runs on a Debian machine without Swift. The dynamic section names no Swift
    /// runtime, Foundation, ICU or dispatch library, no run path into a toolchain, and not even
    /// libcurl, which is opened on the first request instead.
    @Test func needsOnlyTheSystemLibraries() async throws {
        let dynamic = try await ChildTool.run("/usr/bin/readelf", ["-d", binary])
        #expect(dynamic.status == 0, "\(dynamic.output)")
        let needed = dynamic.output.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty, "a dynamically linked program against the C library: \(dynamic.output)")
        // README: libc, libm and the loader, nothing else (not libstdc++ or libgcc_s either).
        let names = Set(needed.compactMap { line in line.split(separator: "[").last?.split(separator: "]").first.map(String.init) })
        #expect(names.count == needed.count && names.isSubset(of: ["libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2"]), "\(names)")
        #expect(!dynamic.output.contains("RPATH") && !dynamic.output.contains("RUNPATH"), "\(dynamic.output)")
    }

    /// README ("Performance"): the binary links FoundationEssentials only, not full Foundation
    /// (CoreFoundation's run loop is its mark) nor ICU (its data package's name); together
    /// they were two thirds of the binary.
    @Test func linksNeitherFullFoundationNorICU() throws {
        let content = try Data(contentsOf: URL(fileURLWithPath: binary))
        for marker in ["CFRunLoop", "icudt"] {
            #expect(content.range(of: Data(marker.utf8)) == nil, "\(marker) found in \(binary)")
        }
    }

    @Test func printsItsVersion() async throws {
        let result = try await CLIProcess.run(["--version"], environment: [:])
        #expect(result.status == 0 && result.stdout == PDSAuthVersion.current + "\n", "\(result.stderr)")
    }

    /// The installed program signs in against its own dev server, from a directory with
    /// nothing in it and without the toolchain's libraries on any search path.
    @Test func signsInAgainstItsDevServer() async throws {
        let home = TemporaryDirectory()
        let login = CLIProcess(
            ["login", "--dev", "--no-browser", "--redirect-uri", "http://127.0.0.1:0/callback"],
            environment: ["PDS_AUTH_HOME": home.path], executable: binary)
        try login.start()
        let startURL = try await login.waitForStderr(RemoteLoginCLITests.startLine)
        try await DevApproval.approve(startURL: startURL)
        #expect(try await login.wait() == 0, "\(login.stderr)")
        let saved = try #require(try CredentialStore(directory: home.path).profile("dev"))
        let token = try await CLIProcess.run(["token"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(token.status == 0 && token.stdout == saved.accessToken + "\n", "\(token.stderr)")
    }

    /// Completions for bash, zsh and fish where each shell looks for them, naming the
    /// subcommands; the manual page where `man` looks for it.
    @Test(arguments: [
        ("share/bash-completion/completions/pds-auth", "-F _pds-auth pds-auth"),
        ("share/zsh/site-functions/_pds-auth", "#compdef pds-auth"),
        ("share/fish/vendor_completions.d/pds-auth.fish", "complete -c 'pds-auth'"),
        ("share/man/man1/pds-auth.1", ".Dt PDS-AUTH 1"),
    ])
    func installsCompletionsAndTheManualPage(path: String, marker: String) throws {
        let text = try String(contentsOfFile: prefix + "/" + path, encoding: .utf8)
        #expect(text.contains(marker), "\(text.prefix(300))")
        for command in ["login", "token", "refresh", "status", "logout", "exec", "api", "switch", "dev-server"] {
            #expect(text.contains(command), "\(path) lacks \(command)")
        }
    }

    /// README: `make release && sudo make install` works where root has no Swift on its PATH:
    /// with the release binary up to date, `make install` builds nothing and needs no `swift`.
    @Test func installNeedsNoSwiftOnceTheReleaseBinaryIsBuilt() async throws {
        let destination = TemporaryDirectory()
        // A directory that was there before: uninstall must leave it.
        try FileManager.default.createDirectory(atPath: destination.path + "/usr/share/man", withIntermediateDirectories: true)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let make = try await ChildTool.run(
            "/usr/bin/env", ["PATH=/usr/bin:/bin", "make", "-C", repository, "install", "DESTDIR=" + destination.path, "PREFIX=/usr"])
        #expect(make.status == 0 && !make.output.contains("swift build"), "\(make.output)")
        #expect(FileManager.default.isExecutableFile(atPath: destination.path + "/usr/bin/pds-auth"))
        #expect(FileManager.default.fileExists(atPath: destination.path + "/usr/share/man/man1/pds-auth.1"))
        // Issue 17: uninstall removes the directories install created (once empty), and no other.
        let uninstall = try await ChildTool.run(
            "/usr/bin/env", ["PATH=/usr/bin:/bin", "make", "-C", repository, "uninstall", "DESTDIR=" + destination.path, "PREFIX=/usr"])
        #expect(uninstall.status == 0, "\(uninstall.output)")
        let left = FileManager.default.enumerator(atPath: destination.path)?.compactMap { $0 as? String }.sorted() ?? []
        #expect(left == ["usr", "usr/share", "usr/share/man"], "\(left)")
    }
}

/// The library leaves the process alone (issue 19): a program using PDSAuth keeps its own
/// SIGPIPE disposition across libcurl's first use and its PATH across starting a program.
@Suite struct LibraryProcessStateTests {
    @Test func theLibraryChangesNoSignalDispositionAndNoEnvironment() async throws {
        let result = try await ChildTool.run(CLIProcess.binary("LibraryProbe"), [], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.output.contains("sigpipe-kept=true") && result.output.contains("path-kept=true"), "\(result.output)")
    }
}
