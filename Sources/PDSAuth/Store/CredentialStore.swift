import FoundationEssentials
import Glibc

/// The credentials file `credentials.json` (0600) in a 0700 directory. Readers need no
/// lock because every write is an atomic rename; writers serialise on `credentials.lock`
/// and re-read inside the lock, so concurrent processes never lose each other's profiles.
/// Profiles that keep their secrets in the Secret Service have them in `secrets`, written
/// under the same lock before the file (see `CredentialStore+Secrets.swift`).
///
/// Reading is careful too: the file must be a regular file (not a symbolic link, FIFO or
/// device) owned by this user; a file or directory open to others is narrowed (0600/0700)
/// with a warning; a directory owned by someone else and writable by others is refused.
public struct CredentialStore: Sendable {
    /// The directory holding `credentials.json` and its lock (0700, made when first written).
    public let directory: String
    /// How long a writer waits for another process's lock before giving up (`lockTimeout`).
    public var lockTimeout: Duration
    /// One line each time the store repairs something the user should know about
    /// (permissions narrowed, an interrupted save recovered).
    public var onWarning: @Sendable (String) -> Void
    /// What is done with a directory or file of ours that others can open.
    package var permissionRepair: PermissionRepair = .narrow
    /// Where `secret-service` profiles' secrets are; touched only for such profiles.
    package var secrets: any SecretBackend

    /// A store in `directory` (see `StoreLocation.directory(environment:)` for where pds-auth
    /// keeps it); nothing is read or created until first used. `secret-service` profiles'
    /// secrets are in the Secret Service.
    public init(directory: String, lockTimeout: Duration = .seconds(30), onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(directory: directory, lockTimeout: lockTimeout, secrets: SecretServiceBackend(), onWarning: onWarning)
    }

    /// A store whose `secret-service` items go to `secrets` (tests pass fakes).
    package init(
        directory: String, lockTimeout: Duration = .seconds(30), secrets: any SecretBackend,
        onWarning: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.directory = directory
        self.lockTimeout = lockTimeout
        self.secrets = secrets
        self.onWarning = onWarning
    }

    /// What the store does when it finds a directory or file of ours open to others.
    package enum PermissionRepair: Sendable {
        /// Narrow it (0700 / 0600) and warn: what every command does.
        case narrow
        /// Change nothing and tell `found` (the path, its mode, the mode pds-auth would set):
        /// `doctor` reports and never repairs.
        case report(_ found: @Sendable (_ path: String, _ mode: mode_t, _ wanted: mode_t) -> Void)
    }

    /// The credentials file.
    public var filePath: String { directory + "/credentials.json" }
    /// The lock file writers take (`flock`), beside the credentials file.
    public var lockPath: String { directory + "/credentials.lock" }

    /// The current file; an absent file (or directory) is an empty one.
    public func load() throws(PDSAuthError) -> CredentialsFile {
        guard try checkDirectory(), let data = try readFile() else { return CredentialsFile() }
        return try CredentialsFile.decode(data, path: filePath)
    }

    /// The usable profile `name` with its secrets, nil when there is none, an error when it
    /// exists but cannot be used (or its secrets cannot be read).
    public func profile(_ name: String) throws(PDSAuthError) -> StoredProfile? {
        var file = try load()
        while true {
            do throws(PDSAuthError) {
                return try opened(name, in: file)
            } catch {
                // Read without the lock: a save may have pointed the file at a new item and
                // deleted the one read here. Only an item missing from the current file counts.
                guard error.code == .secretMissing else { throw error }
                let now = try load()
                guard let current = now.sealed[name]?.generation, current != file.sealed[name]?.generation else { throw error }
                file = now
            }
        }
    }

    /// Runs `body` on the freshly read file under the exclusive lock and writes the result
    /// atomically if it changed. If `body` throws, nothing is written. With `claimingRoom`
    /// (a refresh), room for the new file is claimed before `body` runs (`AtomicFile.reserve`:
    /// the file's size and 64 KiB, more than any token response can add), so a full disk stops
    /// the work before it reaches a server, not after the server has rotated a refresh token.
    /// Other saves reach no server from inside the lock and claim nothing beyond what they
    /// write: a nearly full disk still lets a profile be switched or removed.
    public func update<T: Sendable>(
        claimingRoom: Bool = false,
        _ body: (inout CredentialsFile) async throws(PDSAuthError) -> T
    ) async throws(PDSAuthError) -> T {
        try ensureDirectory()
        let lock = try await FileLock.acquire(path: lockPath, timeout: lockTimeout)
        do throws(PDSAuthError) {
            recoverInterruptedSave()
            let original = try load()
            let reservation =
                claimingRoom
                ? try AtomicFile.reserve(for: filePath, directory: directory, bytes: original.encoded().count + Self.growthAllowance) : nil
            var file = original
            let result: T
            do throws(PDSAuthError) { result = try await body(&file) } catch {
                reservation?.discard()
                throw error
            }
            if file != original { try write(file, over: original, into: reservation) } else { reservation?.discard() }
            lock.release()
            return result
        } catch {
            lock.release()
            throw error
        }
    }

    /// What one save may add to the file beyond its current size: two tokens of at most
    /// 16 KiB each, descriptive values of at most 1 KiB, with room to spare.
    static let growthAllowance = 64 << 10

    /// Secrets first (new items for changed `secret-service` profiles), then the file (into
    /// the room claimed for it, or atomically where none was claimed), then the items no
    /// longer pointed at: see `CredentialStore+Secrets.swift` for why this order.
    private func write(_ file: CredentialsFile, over original: CredentialsFile, into reservation: AtomicFile.Reservation?) throws(PDSAuthError) {
        var file = file
        let commit: SecretCommit
        do { commit = try storeSecrets(of: &file, over: original) } catch {
            reservation?.discard()
            throw error
        }
        do {
            if let reservation {
                try reservation.commit(file.encoded())
            } else {
                try AtomicFile.write(file.encoded(), to: filePath, directory: directory)
            }
        } catch {
            undo(commit)
            throw error
        }
        finish(commit)
    }

    /// Saves `profile` as `name`; with `makeCurrent`, it also becomes the current profile.
    /// Its secrets go where `choice` says (see `SecretStoreChoice`; by default where the
    /// profile's are now, else where `profile.secretStore` says); returns where they went.
    @discardableResult
    public func save(
        _ profile: StoredProfile, as name: String, makeCurrent: Bool = false,
        secretStore choice: SecretStoreChoice? = nil
    ) async throws(PDSAuthError) -> SecretStoreKind {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in
            var profile = profile
            if let choice { profile.secretStore = choice.resolve(remembered: file.secretStore(of: name)) }
            file.profiles[name] = profile
            file.unreadable[name] = nil
            file.sealed[name] = nil
            if makeCurrent { file.current = name }
            return profile.secretStore
        }
    }

    /// Removes a profile (usable or not); returns whether it existed.
    public func remove(_ name: String) async throws(PDSAuthError) -> Bool {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in file.remove(name) }
    }
}

extension CredentialsFile {
    /// The usable profile `name`; nil when absent; an error naming the problem when the file
    /// holds it but this version cannot use it. A profile whose secrets are in the Secret
    /// Service is not in the file alone: `CredentialStore.profile(_:)` opens it.
    public func profile(_ name: String, path: String) throws(PDSAuthError) -> StoredProfile? {
        if let problem = unreadable[name] {
            throw PDSAuthError(
                .profileUnusable,
                "Profile \"\(Redaction.terminalSafe(name, limit: 64))\" in the credentials file cannot be used: \(problem); the other profiles are not affected",
                details: ["path": path])
        }
        if let profile = profiles[name] { return profile }
        guard sealed[name] == nil else {
            throw PDSAuthError(
                .internal,
                "Profile \"\(Redaction.terminalSafe(name, limit: 64))\" keeps its secrets in secret-service: open it through CredentialStore")
        }
        return nil
    }
}

/// Where credentials live: `$PDS_AUTH_HOME`, else `$XDG_CONFIG_HOME/pds-auth` (XDG Base
/// Directory spec), else `~/.config/pds-auth`.
package enum StoreLocation {
    /// - Throws: `invalidSetting` for a relative `PDS_AUTH_HOME`: where credentials live must
    ///   not depend on the directory a command happens to run in (a script run from another
    ///   directory would sign in afresh, or find another user's file). A relative
    ///   `XDG_CONFIG_HOME` is ignored, as the XDG spec says; a relative `HOME` is refused.
    package static func directory(environment: [String: String]) throws(PDSAuthError) -> String {
        if let home = environment["PDS_AUTH_HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else {
                throw PDSAuthError(
                    .invalidSetting,
                    "PDS_AUTH_HOME must be an absolute path, not \"\(Redaction.terminalSafe(home, limit: 200))\": where credentials live must not depend on the current directory"
                )
            }
            return home
        }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/pds-auth" }
        if let home = environment["HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else {
                throw PDSAuthError(
                    .invalidSetting, "HOME must be an absolute path, not \"\(Redaction.terminalSafe(home, limit: 200))\"; or set PDS_AUTH_HOME")
            }
            return home + "/.config/pds-auth"
        }
        throw PDSAuthError(.noHome, "Cannot tell where to keep credentials: neither PDS_AUTH_HOME nor HOME is set")
    }
}
