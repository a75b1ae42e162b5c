import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// The order in which a `secret-service` profile's item and the credentials file are
/// written (CredentialStore+Secrets.swift), with the store replaced by one in memory that
/// looks at the file at each step.
@Suite struct SecretStoreOrderTests {
    let home = TemporaryDirectory()
    let backend = MemorySecretBackend()
    var store: CredentialStore { CredentialStore(directory: home.path, secrets: backend) }

    func profile(_ token: String) throws -> StoredProfile {
        var profile = try StoredProfile.fixture(endpoint: "https://x.example", accessToken: "access-\(token)", refreshToken: "refresh-\(token)")
        profile.secretStore = .secretService
        return profile
    }

    /// What the file says on disk right now: the generation profile `p` points at.
    func pointedGeneration() throws -> String? {
        guard let data = FileManager.default.contents(atPath: store.filePath) else { return nil }
        return try CredentialsFile.decode(data, path: "").sealed["p"]?.generation
    }

    func fileAt(_ first: String) -> String { ((try? pointedGeneration()) ?? nil) == first ? "old" : "new" }

    @Test func theItemIsWrittenBeforeTheFileAndTheOldOneDeletedAfter() async throws {
        try await store.save(try profile("1"), as: "p")
        let first = try #require(try pointedGeneration())
        let seen = LockedBox<[String]>([])
        backend.setHooks { hooks in
            hooks.onStore = { key throws(PDSAuthError) in
                seen.append("store \(key.generation == first ? "old" : "new"), file at \(self.fileAt(first))")
            }
            hooks.onDelete = { query throws(PDSAuthError) in
                seen.append("delete \(query.generation == first ? "old" : "other"), file at \(self.fileAt(first))")
            }
        }
        try await store.save(try profile("2"), as: "p")
        #expect(seen.value == ["store new, file at old", "delete old, file at new"])
        #expect(backend.items.count == 1 && backend.items[0].key.basis == first, "the new item names the one it succeeds")
        #expect(try store.profile("p")?.refreshToken == "refresh-2")
        let text = try String(contentsOfFile: store.filePath, encoding: .utf8)
        #expect(!text.contains("refresh-") && !text.contains("access-"), "no secret in the file")
    }

    /// A save killed after storing its item but before replacing the file: the next process
    /// to open the profile under the lock completes it.
    @Test func anItemStoredByAnInterruptedSaveIsAdopted() async throws {
        try await store.save(try profile("1"), as: "p")
        let file = try store.load()
        let sealed = try #require(file.sealed["p"])
        var successor = try profile("2")
        successor.secretStore = .secretService
        let payload = try #require(try store.profile("p"))
        // What the killed writer stored: the whole profile, a new generation, basis = current.
        let key = SecretItemKey(profileID: sealed.id, generation: "GenerationOfAKilledSave", basis: sealed.generation, profile: "p", home: home.path)
        backend.put(try Self.payload(of: successor, id: sealed.id, generation: key.generation), as: key)
        #expect(try store.profile("p")?.refreshToken == payload.refreshToken, "without the lock, the file's item is read")
        let warnings = LockedBox<[String]>([])
        var warned = store
        warned.onWarning = { warnings.append($0) }
        let adopted = try await warned.update { (file: inout CredentialsFile) throws(PDSAuthError) in try warned.profile("p", in: &file) }
        #expect(adopted?.refreshToken == "refresh-2" && warnings.value.count == 1)
        #expect(try pointedGeneration() == "GenerationOfAKilledSave")
        #expect(backend.items.map(\.key.generation) == ["GenerationOfAKilledSave"], "the superseded item is gone")
        #expect(try store.profile("p")?.refreshToken == "refresh-2")
    }

    @Test func anItemThatIsNotOursIsNotAdopted() async throws {
        try await store.save(try profile("1"), as: "p")
        let sealed = try #require(try store.load().sealed["p"])
        backend.put(
            "{\"format\": 1, \"profile\": {}}",
            as: SecretItemKey(profileID: sealed.id, generation: "SomethingElseEntirely", basis: sealed.generation, profile: "p", home: ""))
        let opened = try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in try store.profile("p", in: &file) }
        #expect(opened?.refreshToken == "refresh-1")
        #expect(try pointedGeneration() == sealed.generation)
    }

    @Test func aStoreThatFailsChangesNothing() async throws {
        try await store.save(try profile("1"), as: "p")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        let items = backend.items.map(\.key)
        backend.setHooks { $0.onStore = { _ throws(PDSAuthError) in throw PDSAuthError(.secretStoreLocked, "locked") } }
        await #expect(throws: PDSAuthError.self) { try await store.save(try profile("2"), as: "p") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes)
        #expect(backend.items.map(\.key) == items)
    }

    /// Every stored item is read back before the file points at it.
    @Test func aServiceThatDoesNotKeepWhatWasStoredChangesNothing() async throws {
        try await store.save(try profile("1"), as: "p")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        backend.setHooks { $0.keepsGarbage = true }
        await #expect { try await store.save(try profile("2"), as: "p") } throws: { ($0 as? PDSAuthError)?.code == .secretStoreUnavailable }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes)
        #expect(backend.items.count == 1 && backend.items[0].payload != "garbage", "the garbage item was deleted again")
    }

    /// The file cannot be replaced after the item was stored: the new item goes again.
    @Test func aFileThatCannotBeWrittenUndoesTheItem() async throws {
        try await store.save(try profile("1"), as: "p")
        let items = backend.items.map(\.key)
        let path = store.filePath
        backend.setHooks { hooks in
            hooks.onStore = { _ throws(PDSAuthError) in
                // The rename onto credentials.json will fail: it is now a non-empty directory.
                try? FileManager.default.removeItem(atPath: path)
                try? FileManager.default.createDirectory(atPath: path + "/blocker", withIntermediateDirectories: true)
            }
        }
        await #expect(throws: PDSAuthError.self) { try await store.save(try profile("2"), as: "p") }
        #expect(backend.items.map(\.key) == items, "only the old item is left")
    }

    /// Removing a profile deletes its items before its file entry: never a secret left
    /// behind in a keyring that nothing points at.
    @Test func removalDeletesTheItemsFirst() async throws {
        try await store.save(try profile("1"), as: "p")
        let seen = LockedBox<[Bool]>([])
        backend.setHooks { $0.onDelete = { _ throws(PDSAuthError) in seen.append((try? self.pointedGeneration()) != nil) } }
        #expect(try await store.remove("p"))
        #expect(seen.value == [true], "deleted while the file still had the profile")
        #expect(backend.items.isEmpty)
        #expect(try store.load().names.isEmpty)
    }

    /// Moving to the file: the file gets the secrets first, then the items go.
    @Test func movingToTheFileDeletesTheItemsAfter() async throws {
        try await store.save(try profile("1"), as: "p")
        let seen = LockedBox<[Bool]>([])
        backend.setHooks {
            $0.onDelete = { _ throws(PDSAuthError) in
                let text = (try? String(contentsOfFile: self.store.filePath, encoding: .utf8)) ?? ""
                seen.append(text.contains("refresh-1"))
            }
        }
        var plain = try #require(try store.profile("p"))
        plain.secretStore = .file
        try await store.save(plain, as: "p")
        #expect(seen.value == [true] && backend.items.isEmpty)
        #expect(try store.profile("p")?.refreshToken == "refresh-1")
    }

    /// A reader without the lock that finds its item just deleted by a save reads the file
    /// again and follows it to the new item.
    @Test func aReaderRacingASaveFollowsTheFile() async throws {
        try await store.save(try profile("1"), as: "p")
        let old = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        let oldGeneration = try #require(try pointedGeneration())
        try await store.save(try profile("2"), as: "p")
        let new = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        try old.write(to: URL(fileURLWithPath: store.filePath))
        let path = store.filePath
        backend.setHooks {
            $0.onLookup = { query throws(PDSAuthError) in
                if query.generation == oldGeneration { try? new.write(to: URL(fileURLWithPath: path)) }
            }
        }
        #expect(try store.profile("p")?.refreshToken == "refresh-2")
        // With the file still at the deleted item, that is an error, not a retry loop.
        try old.write(to: URL(fileURLWithPath: path))
        backend.setHooks { $0.onLookup = { _ throws(PDSAuthError) in } }
        #expect(throws: PDSAuthError.self) { try store.profile("p") }
    }

    /// A `secret-service` entry that holds a secret anyway, names no item, or names a store this
    /// version does not know, is unusable: never read as a `file` profile.
    @Test func anEntryThatHoldsASecretOrNoItemIsUnusable() async throws {
        try await store.save(try profile("1"), as: "p")
        let top = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.filePath))) as? [String: Any])
        let entry = try #require((top["profiles"] as? [String: Any])?["p"] as? [String: Any])
        #expect(try CredentialsFile.decode(Data(contentsOf: URL(fileURLWithPath: store.filePath)), path: "").sealed["p"] != nil, "as written: usable")
        let changes: [String: (inout [String: Any]) -> Void] = [
            "a refresh token": { $0["refreshToken"] = "refresh-1" },
            "an access token": { $0["accessToken"] = "access-1" },
            "no item": { $0["secretGeneration"] = nil },
            "an unknown store": { $0["store"] = "kwallet-6" },
        ]
        for (name, change) in changes {
            var changed = entry
            change(&changed)
            let data = try JSONSerialization.data(withJSONObject: ["version": 1, "profiles": ["p": changed]])
            let file = try CredentialsFile.decode(data, path: "")
            #expect(file.unreadable["p"] != nil && file.sealed["p"] == nil && file.profiles["p"] == nil, "\(name)")
        }
    }

    static func payload(of profile: StoredProfile, id: String, generation: String) throws -> String {
        let data = try JSONEncoder().encode(profile)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["secretID"] = id
        object["secretGeneration"] = generation
        object["store"] = "secret-service"
        object["obtainedAt"] = "2026-01-01T00:00:00Z"
        object["expiresAt"] = "2099-01-01T00:00:00Z"
        return String(decoding: try JSONSerialization.data(withJSONObject: ["format": 1, "profile": object]), as: UTF8.self)
    }
}

/// A value tests append to from `@Sendable` hooks.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every access is under `lock`.
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func append<Element>(_ element: Element) where Value == [Element] { lock.withLock { stored.append(element) } }
}
