import FoundationEssentials
import Glibc

/// The credentials file `credentials.json` (0600) in a 0700 directory. Readers need no
/// lock because every write is an atomic rename; writers serialise on `credentials.lock`
/// and re-read inside the lock, so concurrent processes never lose each other's profiles.
///
/// Reading is careful too: the file must be a regular file (not a symbolic link, FIFO or
/// device) owned by this user; a file or directory open to others is narrowed (0600/0700)
/// with a warning; a directory owned by someone else and writable by others is refused.
public struct CredentialStore: Sendable {
    public let directory: String
    public var lockTimeout: Duration
    /// One line each time the store repairs something the user should know about
    /// (permissions narrowed, an interrupted save recovered).
    public var onWarning: @Sendable (String) -> Void

    public init(directory: String, lockTimeout: Duration = .seconds(30), onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.directory = directory
        self.lockTimeout = lockTimeout
        self.onWarning = onWarning
    }

    public var filePath: String { directory + "/credentials.json" }
    public var lockPath: String { directory + "/credentials.lock" }

    /// The current file; an absent file (or directory) is an empty one.
    public func load() throws(PDSAuthError) -> CredentialsFile {
        guard try checkDirectory(), let data = try readFile() else { return CredentialsFile() }
        return try CredentialsFile.decode(data, path: filePath)
    }

    /// The usable profile `name`, nil when there is none, an error when it exists but
    /// cannot be used.
    public func profile(_ name: String) throws(PDSAuthError) -> StoredProfile? {
        try load().profile(name, path: filePath)
    }

    /// Runs `body` on the freshly read file under the exclusive lock and writes the result
    /// atomically if it changed. If `body` throws, nothing is written. With `claimingRoom`
    /// (a refresh), room for the new file is claimed before `body` runs (`AtomicFile.reserve`:
    /// the file's size and 64 KiB, more than any token response can add), so a full disk stops
    /// the work before it reaches a server, not after the server has rotated a refresh token.
    /// Other saves reach no server from inside the lock and claim nothing beyond what they
    /// write: a nearly full disk still lets a profile be switched or removed.
    public func update<T: Sendable>(claimingRoom: Bool = false,
                                    _ body: (inout CredentialsFile) async throws(PDSAuthError) -> T) async throws(PDSAuthError) -> T {
        try ensureDirectory()
        let lock = try await FileLock.acquire(path: lockPath, timeout: lockTimeout)
        do throws(PDSAuthError) {
            recoverInterruptedSave()
            let original = try load()
            let reservation = claimingRoom
                ? try AtomicFile.reserve(for: filePath, directory: directory, bytes: original.encoded().count + Self.growthAllowance) : nil
            var file = original
            let result: T
            do throws(PDSAuthError) { result = try await body(&file) } catch {
                reservation?.discard()
                throw error
            }
            if file == original {
                reservation?.discard()
            } else if let reservation {
                try reservation.commit(file.encoded())
            } else {
                try AtomicFile.write(file.encoded(), to: filePath, directory: directory)
            }
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

    /// Saves `profile` as `name`; with `makeCurrent`, it also becomes the current profile.
    public func save(_ profile: StoredProfile, as name: String, makeCurrent: Bool = false) async throws(PDSAuthError) {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in
            file.profiles[name] = profile
            file.unreadable[name] = nil
            if makeCurrent { file.current = name }
        }
    }

    /// Removes a profile (usable or not); returns whether it existed.
    public func remove(_ name: String) async throws(PDSAuthError) -> Bool {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in file.remove(name) }
    }
}

extension CredentialsFile {
    /// The usable profile `name`; nil when absent; an error naming the problem when the file
    /// holds it but this version cannot use it.
    public func profile(_ name: String, path: String) throws(PDSAuthError) -> StoredProfile? {
        if let problem = unreadable[name] {
            throw PDSAuthError(.credentialsCorrupt, "Profile \"\(Redaction.terminalSafe(name, limit: 64))\" in the credentials file cannot be used: \(problem); the other profiles are not affected",
                               context: ["path": path])
        }
        return profiles[name]
    }
}
