#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The credentials file `credentials.json` (0600) in a 0700 directory. Readers need no
/// lock because every write is an atomic rename; writers serialise on `credentials.lock`
/// and re-read inside the lock, so concurrent processes never lose each other's profiles.
public struct CredentialStore: Sendable {
    public let directory: String
    public var lockTimeout: Double

    public init(directory: String, lockTimeout: Double = 30) {
        self.directory = directory
        self.lockTimeout = lockTimeout
    }

    public var filePath: String { directory + "/credentials.json" }
    public var lockPath: String { directory + "/credentials.lock" }

    /// The current file; an absent file is an empty one.
    public func load() throws(PDSAuthError) -> CredentialsFile {
        guard let data = FileManager.default.contents(atPath: filePath) else {
            if access(filePath, F_OK) == 0 {
                throw PDSAuthError(.credentialStore, code: "unreadable_credentials", "The credentials file exists but cannot be read",
                                   hint: "Check its owner and permissions.", context: ["path": filePath])
            }
            return CredentialsFile()
        }
        return try CredentialsFile.decode(data, path: filePath)
    }

    public func profile(_ name: String) throws(PDSAuthError) -> StoredProfile? {
        try load().profiles[name]
    }

    /// Runs `body` on the freshly read file under the exclusive lock and writes the result
    /// atomically if it changed. If `body` throws, nothing is written.
    public func update<T: Sendable>(_ body: (inout CredentialsFile) async throws(PDSAuthError) -> T) async throws(PDSAuthError) -> T {
        try ensureDirectory()
        let lock = try await FileLock.acquire(path: lockPath, timeout: lockTimeout)
        do {
            let original = try load()
            var file = original
            let result = try await body(&file)
            if file != original {
                removeAbandonedTemporaryFiles()
                try AtomicFile.write(file.encoded(), to: filePath, directory: directory)
            }
            lock.release()
            return result
        } catch {
            lock.release()
            throw error
        }
    }

    public func save(_ profile: StoredProfile, as name: String) async throws(PDSAuthError) {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles[name] = profile }
    }

    /// Removes a profile; returns whether it existed.
    public func remove(_ name: String) async throws(PDSAuthError) -> Bool {
        try await update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles.removeValue(forKey: name) != nil }
    }

    /// Temp files of writers that died mid-save. Only a lock holder creates them, and we
    /// hold the lock, so any that exist are abandoned.
    func removeAbandonedTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".credentials.json.tmp-") {
            unlink(directory + "/" + name)
        }
    }

    /// Creates the directory 0700 (parents as needed) and narrows an existing one that is
    /// open to group or others: it holds refresh tokens and client secrets.
    func ensureDirectory() throws(PDSAuthError) {
        var info = stat()
        if stat(directory, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw PDSAuthError(.credentialStore, code: "mkdir_failed", "Cannot create the credentials directory",
                                   hint: "Check permissions, or set PDS_AUTH_HOME to a writable directory.", context: ["path": directory])
            }
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw PDSAuthError(.credentialStore, code: "not_a_directory", "The credentials path is not a directory",
                               hint: "Set PDS_AUTH_HOME to a directory.", context: ["path": directory])
        }
        if info.st_mode & 0o077 != 0, chmod(directory, 0o700) != 0 {
            throw PDSAuthError(.credentialStore, code: "insecure_directory", "The credentials directory is readable by others and cannot be restricted",
                               hint: "Run chmod 700 on it.", context: ["path": directory])
        }
    }
}
