import FoundationEssentials
import PDSShared

/// Profiles whose secrets live in the Secret Service (`secret-service`). The file entry
/// holds the settings and points at one *generation*: the item (attributes `profile-id`,
/// `generation`) with the secrets. A save never overwrites that item. In this order, under
/// the lock:
///
/// 1. write a new item (a fresh generation, `basis` = the generation the file points at),
///    and read it back;
/// 2. replace the file (temp file, fsync, rename) so that it points at the new generation;
/// 3. delete the profile's other items.
///
/// A process killed before 1 completes leaves the old item and the old file: the old
/// secrets. Killed between 1 and 2, the file still points at the old item, which is intact,
/// and the new item names it as its basis: the next process to take the lock and open the
/// profile *adopts* it (the file then points at it), so a refresh whose new refresh token
/// was stored is never lost, as a complete temp file is adopted for `file` profiles. Killed
/// after 2, the file points at the new item; leftover items go at the next save. The file
/// and the store therefore never disagree in a way that loses the session: the file always
/// points at an existing item, and the newest stored secrets always win. The one window no
/// client can close is the server's answer to a refresh before step 1 completes.
///
/// Removing a profile (logout, export) deletes its items first, then its file entry: a
/// process killed in between leaves an entry whose secrets are gone (reported as such;
/// `logout` again finishes), never a live refresh token in a keyring nobody knows about.
/// Moving a profile to the file writes the file first and deletes its items afterwards.
extension CredentialStore {
    /// Profile `name` in `file` with its secrets, without the lock: nil when there is none.
    func opened(_ name: String, in file: CredentialsFile) throws(PDSAuthError) -> StoredProfile? {
        guard let sealed = file.sealed[name], file.profiles[name] == nil, file.unreadable[name] == nil else {
            return try file.profile(name, path: filePath)
        }
        let query = SecretQuery(profileID: sealed.id, generation: sealed.generation)
        guard let text = try secrets.lookup(query) else {
            throw PDSAuthError(
                .secretMissing,
                "The Secret Service has no item with the secrets of profile \"\(Redaction.terminalSafe(name, limit: 64))\" (it was deleted, or the keyring was replaced)",
                profile: name, details: ["store": "secret-service"])
        }
        guard let payload = SecretPayload.decode(text, id: sealed.id, generation: sealed.generation) else {
            throw PDSAuthError(
                .credentialsCorrupt,
                "Profile \"\(Redaction.terminalSafe(name, limit: 64))\": its Secret Service item holds something pds-auth did not write",
                profile: name, details: ["store": "secret-service"])
        }
        return sealed.opened(with: payload)
    }

    /// Inside `update`: profile `name` with its secrets, after completing a save of it that
    /// was interrupted between storing its new item and replacing the file (see above).
    public func profile(_ name: String, in file: inout CredentialsFile) throws(PDSAuthError) -> StoredProfile? {
        if let sealed = file.sealed[name], file.profiles[name] == nil,
            let text = try secrets.lookup(SecretQuery(profileID: sealed.id, basis: sealed.generation)),
            let successor = SecretPayload.decode(text, id: sealed.id, generation: nil)
        {
            file.profiles[name] = successor
            file.committed[name] = successor
            onWarning("completed a save of profile \"\(Redaction.terminalSafe(name, limit: 64))\" that was interrupted after its secrets were stored")
            return successor
        }
        let profile = try opened(name, in: file)
        if file.sealed[name] != nil, let profile { file.committed[name] = profile }
        return profile
    }

    /// Steps 1 (and the deletions that precede a removal) for every profile the caller
    /// changed; `file` then points at the new generations. What was written is returned, to
    /// be finished after the file is replaced, or undone if that fails.
    func storeSecrets(of file: inout CredentialsFile, over original: CredentialsFile) throws(PDSAuthError) -> SecretCommit {
        var commit = SecretCommit()
        for (name, old) in original.sealed.sorted(by: { $0.key < $1.key }) {
            if !file.names.contains(name) {
                try secrets.delete(SecretQuery(profileID: old.id))
            } else if file.profiles[name]?.secretStore == .file {
                commit.movedToFile.append((name, old.id))
            }
        }
        do {
            for (name, profile) in file.profiles.sorted(by: { $0.key < $1.key }) where profile.secretStore == .secretService {
                if let committed = file.committed[name], committed == profile, let id = profile.secretID, let generation = profile.secretGeneration {
                    commit.current.append((id, generation))
                    continue
                }
                let stored = try storeItem(profile, name: name, previous: original.sealed[name])
                commit.written.append(SecretQuery(profileID: stored.secretID!, generation: stored.secretGeneration!))
                commit.current.append((stored.secretID!, stored.secretGeneration!))
                file.profiles[name] = stored
            }
        } catch {
            undo(commit)
            throw error
        }
        return commit
    }

    /// Writes `profile` as a new generation of its items and reads it back.
    private func storeItem(_ profile: StoredProfile, name: String, previous: SealedProfile?) throws(PDSAuthError) -> StoredProfile {
        var stored = profile
        stored.secretID = previous?.id ?? Self.newIdentifier()
        stored.secretGeneration = Self.newIdentifier()
        let payload = SecretPayload.encode(stored)
        let key = SecretItemKey(
            profileID: stored.secretID!, generation: stored.secretGeneration!, basis: previous?.generation ?? "none",
            profile: name, home: directory)
        try secrets.store(payload, as: key)
        let query = SecretQuery(profileID: key.profileID, generation: key.generation)
        guard try secrets.lookup(query) == payload else {
            try? secrets.delete(query)
            throw PDSAuthError(
                .secretStoreUnavailable,
                "The Secret Service did not keep what was stored for profile \"\(Redaction.terminalSafe(name, limit: 64))\"; nothing was changed",
                details: ["store": "secret-service"])
        }
        return stored
    }

    /// After a failed save: the items it wrote go (best effort; any left are never pointed at).
    func undo(_ commit: SecretCommit) {
        for query in commit.written { try? secrets.delete(query) }
    }

    /// Step 3, once the file is in place: every item but the current generation goes; a
    /// profile moved to the file loses its items once the file is read back with them.
    func finish(_ commit: SecretCommit) {
        for (id, generation) in commit.current {
            for old in (try? secrets.generations(SecretQuery(profileID: id))) ?? [] where old != generation {
                try? secrets.delete(SecretQuery(profileID: id, generation: old))
            }
        }
        for (name, id) in commit.movedToFile {
            guard let saved = try? load().profiles[name], saved.secretStore == .file else { continue }
            do { try secrets.delete(SecretQuery(profileID: id)) } catch {
                onWarning(
                    "the secrets of profile \"\(Redaction.terminalSafe(name, limit: 64))\" are now in the file, but their old Secret Service items could not be deleted: \(error.message)"
                )
            }
        }
    }

    /// A new random identifier for a profile's items or one generation of them: 128 bits in
    /// hex, which (unlike base64url) never begins with `-`, so `secret-tool lookup profile-id
    /// ID` never reads one as an option.
    static func newIdentifier() -> String { SecureRandom.hex(bytes: 16) }
}

/// What one save did in the Secret Service, to finish or undo once the file is written.
struct SecretCommit {
    /// Items this save stored.
    var written: [SecretQuery] = []
    /// Each `secret-service` profile's items and the generation the file points at.
    var current: [(id: String, generation: String)] = []
    /// Profiles whose secrets moved into the file, with their items' id.
    var movedToFile: [(name: String, id: String)] = []
}

extension CredentialStore {
    /// Stores and deletes a throwaway item for profile `name`: the Secret Service is reachable
    /// and writable (after its own unlock prompt, if the keyring was locked). Sign-ins check
    /// this before they start, so tokens are never obtained that then cannot be saved.
    public func checkSecretStore(for name: String) throws(PDSAuthError) {
        let key = SecretItemKey(profileID: Self.newIdentifier(), generation: "check", basis: "none", profile: name, home: directory)
        try secrets.store("{}", as: key)
        try secrets.delete(SecretQuery(profileID: key.profileID))
    }
}
