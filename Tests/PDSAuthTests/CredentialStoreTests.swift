import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

@Suite struct CredentialStoreTests {
    static func profile(_ token: String) throws -> StoredProfile {
        StoredProfile(
            grant: .authorizationCode, endpoints: try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:1", domainID: nil),
            domainID: "dev", clientID: "c", clientSecret: "s", redirectURI: "http://127.0.0.1:8765/callback", scope: nil,
            caBundlePath: nil, accessToken: token, refreshToken: "r-\(token)", tokenType: "Bearer",
            expiresAt: Date(timeIntervalSince1970: 2_000_000_000), obtainedAt: Date(timeIntervalSince1970: 1_000_000_000), user: nil)
    }

    static func text(_ store: CredentialStore) throws -> String { try String(contentsOfFile: store.filePath, encoding: .utf8) }

    @Test func savesWithPrivatePermissions() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("nested/pds-auth"))
        try await store.save(try Self.profile("a"), as: "default")
        #expect(fileMode(store.directory) == 0o700)
        #expect(fileMode(store.filePath) == 0o600)
        #expect(try store.profile("default") == (try Self.profile("a")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no temp files remain")
        #expect(try !Self.text(store).contains(#"\/"#), "no escaped slashes")
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

    /// Members this version does not know survive a save: of other profiles untouched, of the
    /// saved profile and of the file itself.
    @Test func unknownFieldsAreKept() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("a"), as: "mine")
        try await store.save(try Self.profile("b"), as: "theirs")
        var text = try Self.text(store)
        text = text.replacingOccurrences(of: #""version" : 1"#, with: #""futureTop" : {"x" : [1, 2]}, "version" : 1"#)
        text = text.replacingOccurrences(of: #""accessToken" : "b""#, with: #""accessToken" : "b", "futureField" : 12345678901234"#)
        text = text.replacingOccurrences(of: #""accessToken" : "a""#, with: #""accessToken" : "a", "mineToo" : "kept""#)
        try text.write(toFile: store.filePath, atomically: true, encoding: .utf8)
        var changed = try Self.profile("a2")
        changed.refreshToken = nil
        try await store.save(changed, as: "mine")
        let after = try Self.text(store)
        #expect(after.contains(#""futureField" : 12345678901234"#) && after.contains(#""mineToo" : "kept""#))
        #expect(after.contains(#""futureTop""#))
        #expect(try store.profile("mine")?.refreshToken == nil, "a member the profile dropped is not resurrected")
    }

    /// One damaged profile (or one written with values this version cannot read) never
    /// locks out the others, and is written back unchanged.
    @Test func anUnreadableProfileIsIsolated() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("good"), as: "good")
        try await store.save(try Self.profile("bad"), as: "bad")
        let text = try Self.text(store).replacingOccurrences(of: #""accessToken" : "bad""#, with: #""accessToken" : "line\nbreak""#)
        try text.write(toFile: store.filePath, atomically: true, encoding: .utf8)
        #expect(try store.profile("good")?.accessToken == "good")
        #expect { try store.profile("bad") } throws: { ($0 as? PDSAuthError)?.code == .profileUnusable }
        try await store.save(try Self.profile("good2"), as: "good")
        #expect(try Self.text(store).contains(#"line\nbreak"#), "the unreadable profile is written back as it was")
        #expect(try await store.remove("bad"))
        #expect(try store.load().unreadable.isEmpty)
    }

    @Test func tightensAnOpenDirectoryAndFileOnReadWithAWarning() async throws {
        let temp = TemporaryDirectory()
        let warnings = LockedValue<[String]>([])
        let store = CredentialStore(directory: temp.file("d"), onWarning: { message in warnings.update { $0.append(message) } })
        try await store.save(try Self.profile("a"), as: "p")
        chmod(store.directory, 0o777)
        chmod(store.filePath, 0o644)
        #expect(try store.profile("p") != nil)
        #expect(fileMode(store.directory) == 0o700 && fileMode(store.filePath) == 0o600)
        #expect(warnings.value.count == 2 && warnings.value.allSatisfy { $0.contains("narrowed") })
        _ = try store.load()
        #expect(warnings.value.count == 2, "warned once: nothing left to narrow")
    }

    /// `PDS_AUTH_HOME=/tmp` (or `/`, a home, any shared directory) by mistake: a directory
    /// open to others that holds what is not pds-auth's is not narrowed — a `status` run as
    /// root did `chmod 700 /tmp`, locking every other user out and dropping the sticky bit.
    /// It is refused, its mode left as it was, nothing written in it.
    @Test(arguments: [(mode_t(0o1777), true), (0o1777, false), (0o755, true)])
    func aSharedDirectoryIsRefusedNotNarrowed(mode: mode_t, holdingAFile: Bool) async throws {
        let shared = TemporaryDirectory()
        if holdingAFile { _ = FileManager.default.createFile(atPath: shared.file("someone-elses-file"), contents: Data("x".utf8)) }
        chmod(shared.path, mode)
        let store = CredentialStore(directory: shared.path)
        #expect { try store.load() } throws: { ($0 as? PDSAuthError)?.code == .directoryUnusable }
        await #expect { try await store.save(try Self.profile("a"), as: "p") } throws: { ($0 as? PDSAuthError)?.code == .directoryUnusable }
        var info = stat()
        stat(shared.path, &info)
        #expect(info.st_mode & 0o7777 == mode, "mode left alone: \(String(info.st_mode & 0o7777, radix: 8))")
        #expect(!FileManager.default.fileExists(atPath: store.filePath))
    }

    @Test func aSymlinkOrFIFOIsRefusedAndLeftAlone() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("d"))
        try await store.save(try Self.profile("a"), as: "p")
        try FileManager.default.moveItem(atPath: store.filePath, toPath: temp.file("elsewhere.json"))
        symlink(temp.file("elsewhere.json"), store.filePath)
        #expect { try store.load() } throws: { ($0 as? PDSAuthError)?.code == .credentialsNotRegular }
        await #expect { try await store.save(try Self.profile("b"), as: "p") } throws: { ($0 as? PDSAuthError)?.code == .credentialsNotRegular }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: store.filePath) == temp.file("elsewhere.json"))
        unlink(store.filePath)
        mkfifo(store.filePath, 0o600)
        #expect { try store.load() } throws: { ($0 as? PDSAuthError)?.code == .credentialsNotRegular }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the file to another user"))
    func aFileOwnedByAnotherUserIsRefused() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("a"), as: "p")
        chown(store.filePath, 65534, 65534)
        #expect { try store.load() } throws: { ($0 as? PDSAuthError)?.code == .credentialsNotOwned }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the directory to another user"))
    func aSharedDirectoryOfAnotherUserIsRefused() async throws {
        let temp = TemporaryDirectory()
        let shared = temp.file("shared")
        mkdir(shared, 0o777)
        chmod(shared, 0o777)
        chown(shared, 65534, 65534)
        let store = CredentialStore(directory: shared)
        #expect { try store.load() } throws: { ($0 as? PDSAuthError)?.code == .directoryUnusable }
        await #expect { try await store.save(try Self.profile("a"), as: "p") } throws: { ($0 as? PDSAuthError)?.code == .directoryUnusable }
    }

    @Test func failedUpdateWritesNothing() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await store.save(try Self.profile("a"), as: "p")
        let before = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        await #expect(throws: PDSAuthError.self) {
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                file.profiles["p"]?.accessToken = "changed"
                throw PDSAuthError(.sessionExpired, "refused")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == before)
    }

    @Test func corruptOrNewerFileIsNeverOverwritten() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        for content in ["{not json", #"{"version":99,"profiles":{}}"#, #"{"profiles":{}}"#, "[]"] {
            try Data(content.utf8).write(to: URL(fileURLWithPath: store.filePath))
            await #expect(throws: PDSAuthError.self) { try await store.save(try Self.profile("a"), as: "p") }
            #expect(try String(contentsOfFile: store.filePath, encoding: .utf8) == content)
        }
    }

    /// A save killed between the temp file's fsync and the rename left the newest state (for a
    /// rotating refresh token, the only live one) in a complete temp file: the next writer
    /// puts it in place. Partial temp files, and complete ones older than the file, go.
    @Test func anInterruptedCompleteSaveIsAdoptedAndPartialOnesSwept() async throws {
        let temp = TemporaryDirectory()
        let warnings = LockedValue<[String]>([])
        let store = CredentialStore(directory: temp.path, onWarning: { message in warnings.update { $0.append(message) } })
        try await store.save(try Self.profile("old"), as: "p")
        var newer = CredentialsFile()
        newer.profiles["p"] = try Self.profile("live")
        let complete = temp.file(".credentials.json.tmp-complete")
        try newer.encoded().write(to: URL(fileURLWithPath: complete))
        try Data(newer.encoded().prefix(40)).write(to: URL(fileURLWithPath: temp.file(".credentials.json.tmp-partial")))
        try await store.save(try Self.profile("other"), as: "q")
        let file = try store.load()
        #expect(file.profiles["p"]?.accessToken == "live", "the complete interrupted save was adopted")
        #expect(file.profiles["q"]?.accessToken == "other")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).filter { $0.contains(".tmp-") }.isEmpty)
        #expect(warnings.value.contains { $0.contains("recovered") })

        // A complete temp file older than the file is a superseded save: removed, not adopted.
        try newer.encoded().write(to: URL(fileURLWithPath: complete))
        let past = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, complete, past, 0)
        try await store.save(try Self.profile("newest"), as: "p")
        #expect(try store.profile("p")?.accessToken == "newest")
        #expect(!FileManager.default.fileExists(atPath: complete))
    }

    @Test func currentProfileAndChoice() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        #expect { try ProfileChoice.resolve(nil, in: try store.load(), store: store) } throws: { ($0 as? PDSAuthError)?.code == .noProfile }
        try await store.save(try Self.profile("a"), as: "only")
        #expect(try ProfileChoice.resolve(nil, in: try store.load(), store: store) == "only", "the only profile")
        try await store.save(try Self.profile("b"), as: "second")
        #expect { try ProfileChoice.resolve(nil, in: try store.load(), store: store) } throws: { ($0 as? PDSAuthError)?.code == .noProfileSelected }
        try await store.save(try Self.profile("c"), as: "second", makeCurrent: true)
        #expect(try ProfileChoice.resolve(nil, in: try store.load(), store: store) == "second")
        #expect(try ProfileChoice.resolve("only", in: try store.load(), store: store) == "only", "a name given wins")
        #expect(try await store.remove("second"))
        #expect(try store.load().current == nil, "removing the current profile clears it")
        #expect(ProfileChoice.isValidName("ci-bot.1@prod") && !ProfileChoice.isValidName("a b") && !ProfileChoice.isValidName(""))
        #expect(!ProfileChoice.isValidName(String(repeating: "x", count: 65)) && !ProfileChoice.isValidName("x\u{1B}"))
    }

    @Test func lockWaitIsBoundedAndExplained() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path, lockTimeout: .milliseconds(300))
        try store.ensureDirectory()
        let held = try await FileLock.acquire(path: store.lockPath, timeout: .seconds(1))
        let started = ContinuousClock.now
        // The holder never lets go, so an unbounded wait would never end: a watchdog cancels
        // it after 60 s, so a missing bound fails this test (cancelled, not lockTimeout)
        // instead of hanging the suite. The margin over the 0.3 s timeout is for the suite's
        // own load: the wait polls with Task.sleep, which a busy 2-core run has delayed to 11 s.
        let attempt = Task { try await store.save(try Self.profile("a"), as: "p") }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            attempt.cancel()
        }
        let outcome = await attempt.result
        watchdog.cancel()
        #expect { try outcome.get() } throws: { ($0 as? PDSAuthError)?.code == .lockTimeout }
        #expect(ContinuousClock.now - started < .seconds(60))
        held.release()
        try await store.save(try Self.profile("a"), as: "p")
    }
}
