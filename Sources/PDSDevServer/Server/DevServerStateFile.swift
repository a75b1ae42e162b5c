import Glibc
import PDSShared
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a dev server keeps across restarts when it has a state directory
/// (``DevServerConfiguration/stateDirectory``): its RSA keys, its apps' client secrets, the
/// refresh tokens it issued (live and dead) and revoked grants, and the access tokens it
/// issued until they expire. So a profile signed in against `login --dev` keeps working
/// against a later `pds-auth dev-server`, and a restarted server honours what it issued.
///
/// One JSON file, `state.json`, 0600 in a 0700 directory, replaced atomically (temp file,
/// rename) after every change. A `flock` on `state.lock` is held while the server
/// runs: one server per directory, and `login --dev` can tell one is running (and where:
/// `server.json`). These are development secrets, kept as carefully as real ones: every file
/// is reached through a descriptor of the directory opened once and checked, so a directory
/// renamed or replaced by a link while the server runs (by whoever owns a parent) takes
/// nothing elsewhere.
final class DevServerStateFile: Sendable {
    struct Contents: Codable, Sendable, Equatable {
        var version = 1
        var signingKeyPEM: String?
        var jwtAppKeyPEM: String?
        /// Client secrets by client id.
        var clientSecrets: [String: String] = [:]
        var refreshTokens = RefreshTokens.Snapshot()
        var accessTokens: [String: IssuedAccessTokens.Record] = [:]
    }

    /// Where a running server says it listens, for `login --dev`.
    struct Listening: Codable, Sendable, Equatable {
        var baseURL: String
        var pid: Int32
    }

    let directory: String
    /// The directory itself, opened once: every file below is reached through it.
    private let descriptor: Int32
    private let lock: Int32
    private let contents: Mutex<Contents>

    /// Opens (creating) the directory, takes its lock and reads what it holds.
    init(directory: String) throws(DevServerError) {
        let descriptor = try Self.openPrivateDirectory(directory)
        let lock = openat(descriptor, "state.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else {
            defer { close(descriptor) }
            throw .stateDirectoryUnusable(directory, String(cString: strerror(errno)))
        }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            close(descriptor)
            throw .stateDirectoryInUse(directory)
        }
        self.directory = directory
        self.descriptor = descriptor
        self.lock = lock
        var info = stat()
        if fstatat(descriptor, "state.json", &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT != S_IFREG || info.st_uid != geteuid() {
            close(lock)
            close(descriptor)
            throw .stateDirectoryUnusable(directory, "state.json is not a regular file of this user (a link is never followed)")
        }
        if let data = Self.read("state.json", in: descriptor) {
            guard let decoded = try? JSONDecoder().decode(Contents.self, from: data), decoded.version == 1 else {
                close(lock)
                close(descriptor)
                throw .stateDirectoryUnusable(directory, "state.json is not a state this version can read (move it aside to start afresh)")
            }
            contents = Mutex(decoded)
        } else {
            contents = Mutex(Contents())
        }
    }

    deinit {
        release()
        close(lock)
        close(descriptor)
    }

    /// Gives the directory up (the server has stopped): another server may take it now,
    /// before this object goes away.
    func release() {
        unlinkat(descriptor, "server.json", 0)
        flock(lock, LOCK_UN)
    }

    var current: Contents { contents.withLock { $0 } }

    /// Changes the state and writes it out before returning.
    func update(_ change: (inout Contents) -> Void) {
        contents.withLock { contents in
            var changed = contents
            change(&changed)
            guard changed != contents else { return }
            contents = changed
            Self.write(JSONResponse.encode(changed), to: "state.json", in: descriptor)
        }
    }

    /// Records where the server listens (removed when it stops).
    func recordListening(_ baseURL: String) {
        Self.write(JSONResponse.encode(Listening(baseURL: baseURL, pid: getpid())), to: "server.json", in: descriptor)
    }

    /// The server running with `directory`, if one holds its lock and said where it listens.
    static func runningServer(in directory: String) -> Listening? {
        let lock = open(directory + "/state.lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard lock >= 0 else { return nil }
        defer { close(lock) }
        if flock(lock, LOCK_EX | LOCK_NB) == 0 { return nil }
        return read(directory + "/server.json", in: AT_FDCWD).flatMap { try? JSONDecoder().decode(Listening.self, from: $0) }
    }

    /// What `directory` holds, read without taking its lock (a running server's, say).
    static func contents(of directory: String) -> Contents? {
        read(directory + "/state.json", in: AT_FDCWD).flatMap { try? JSONDecoder().decode(Contents.self, from: $0) }
    }

    /// The directory, made 0700 if missing, opened without following a link, and checked
    /// through that descriptor (so the checks hold for what is used): a directory of this
    /// user's, narrowed to 0700 unless it is shared.
    private static func openPrivateDirectory(_ directory: String) throws(DevServerError) -> Int32 {
        var info = stat()
        if lstat(directory, &info) != 0 {
            var partial = ""
            for component in directory.split(separator: "/") {
                partial += "/" + component
                if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                    throw .stateDirectoryUnusable(directory, String(cString: strerror(errno)))
                }
            }
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .stateDirectoryUnusable(
                directory, errno == ELOOP || errno == ENOTDIR ? "not a directory of this user" : String(cString: strerror(errno)))
        }
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
            close(descriptor)
            throw .stateDirectoryUnusable(directory, "not a directory of this user")
        }
        if info.st_mode & 0o077 != 0 {
            // Narrowing a shared directory (`--state-dir /tmp`, a home) would lock its other
            // users out: only one that is not sticky and holds nothing but ours is narrowed.
            guard info.st_mode & S_ISVTX == 0, holdsOnlyStateFiles(directory) else {
                close(descriptor)
                throw .stateDirectoryUnusable(
                    directory, "it is open to other users and shared (sticky, or holding other files); its permissions are left alone")
            }
            fchmod(descriptor, 0o700)
        }
        return descriptor
    }

    /// Whether `directory` holds only what a server keeps there (and its temp files).
    private static func holdsOnlyStateFiles(_ directory: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        let own = ["state.json", "state.lock", "server.json"]
        return names.allSatisfy { name in own.contains { name == $0 || name.hasPrefix($0 + ".tmp-") } }
    }

    /// `name` in the directory `directory` (`AT_FDCWD`: a path), never through a link.
    private static func read(_ name: String, in directory: Int32) -> Data? {
        let descriptor = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= 64 << 20 {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return Data(bytes)
    }

    /// Temp file 0600 → rename, so a server killed mid-write leaves the old state (or the new
    /// one), never half of one. No fsync: a killed process loses nothing the kernel has, and a
    /// development server need not outlive a power cut at the cost of a disk flush per token.
    private static func write(_ data: [UInt8], to name: String, in directory: Int32) {
        let temp = name + ".tmp-" + SecureRandom.token(bytes: 6)
        let descriptor = openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return }
        let written = data.withUnsafeBytes { FileDescriptorWriting.writeAll(descriptor, $0) }
        close(descriptor)
        if written, renameat(directory, temp, directory, name) == 0 { return }
        unlinkat(directory, temp, 0)
    }
}
