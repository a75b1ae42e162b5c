import FoundationEssentials
import Glibc
import PDSShared

/// A fresh directory only this user can enter (0700, unguessable name), for files handed to
/// other programs that no one else may read or swap: `exec`'s token file, `login`'s
/// forwarding page.
///
/// It is made only in a temporary root that no other user can rearrange (`TemporaryRoot`),
/// and everything inside is written and removed relative to a descriptor of the directory
/// itself (`openat`, `renameat`, `unlinkat`), never through its path: if the directory is
/// moved or replaced by a symbolic link while it is in use, nothing outside it is touched,
/// its own files are still removed, and `remove()` says so. While the process lives it holds
/// a `flock` on the directory; a later run removes directories whose lock is free (their
/// process is gone, killed with SIGKILL) — see `sweepAbandoned`.
package final class PrivateDirectory: Sendable {
    /// The directory's absolute path, symbolic links resolved, as handed to other programs.
    package let path: String
    private let name: String
    private let root: Int32
    private let descriptor: Int32
    private let identity: FileIdentity
    /// Set by `remove()`; writes happen under this lock and only while it is false, so a
    /// write finishing as the directory is removed cannot leave a file behind.
    private let removed = LockedValue(false)

    /// Names are `pds-auth-<purpose>-<16 random characters>`, so the sweep can recognise ours.
    static let namePrefix = "pds-auth-"
    static let randomLength = 16
    /// A directory younger than this is never swept: its owner may be between `mkdirat` and
    /// taking its lock.
    static let sweepAge: TimeInterval = 60

    /// Makes `<root>/pds-auth-<purpose>-XXXXXXXXXXXXXXXX` in the first safe temporary root,
    /// after removing abandoned directories there.
    package init(purpose: String, roots: TemporaryRoot.Choice) throws(PDSAuthError) {
        let root = roots.descriptor
        Self.sweepAbandoned(in: root)
        var made: (name: String, descriptor: Int32, identity: FileIdentity)?
        for _ in 0..<8 where made == nil {
            let name = "\(Self.namePrefix)\(purpose)-\(Self.randomName())"
            guard mkdirat(root, name, 0o700) == 0 else {
                if errno == EEXIST { continue }
                throw Self.failure("create a private directory in \(roots.path)", path: roots.path)
            }
            let descriptor = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0, let identity = FileIdentity(descriptor: descriptor), identity.owner == geteuid(),
                fchmod(descriptor, 0o700) == 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0
            else {
                if descriptor >= 0 { close(descriptor) }
                unlinkat(root, name, AT_REMOVEDIR)
                throw Self.failure("take hold of a private directory in \(roots.path)", path: roots.path)
            }
            made = (name, descriptor, identity)
        }
        guard let made else { throw Self.failure("find a free name for a private directory in \(roots.path)", path: roots.path) }
        self.root = dup(root)
        self.name = made.name
        self.descriptor = made.descriptor
        self.identity = made.identity
        path = roots.path + "/" + made.name
    }

    deinit {
        close(descriptor)
        close(root)
    }

    /// Replaces `file` inside the directory atomically (temp file 0600 → fsync → rename),
    /// relative to the directory's descriptor. Does nothing once `remove()` has begun.
    package func write(_ bytes: [UInt8], to file: String) throws(PDSAuthError) {
        let result = removed.update { removed -> Result<Void, PDSAuthError> in
            guard !removed else { return .success(()) }
            return Result { () throws(PDSAuthError) in try AtomicFile.write(bytes, to: file, in: descriptor, shownAs: path + "/" + file) }
        }
        try result.get()
    }

    /// What `remove()` found.
    package enum Removal: Sendable, Equatable {
        /// The directory and everything in it are gone.
        case removed
        /// The directory was no longer where it was made (moved, or replaced by something
        /// else): its own files were removed through its descriptor; nothing at its old path
        /// was touched.
        case moved
    }

    /// Removes every file in the directory (through its descriptor), then the directory
    /// itself if it is still the one at its path. A write in progress finishes first; none
    /// starts afterwards.
    @discardableResult
    package func remove() -> Removal {
        let first = removed.update { removed -> Bool in
            defer { removed = true }
            return !removed
        }
        guard first else { return .removed }
        Self.removeContents(of: descriptor)
        guard FileIdentity(at: name, in: root) == identity else { return .moved }
        unlinkat(root, name, AT_REMOVEDIR)
        return .removed
    }

    /// Unlinks every entry of the directory open as `descriptor`. None of ours is a directory,
    /// but the program `exec` runs may make some (a copy of the token in `sub/`): they go too,
    /// with what they hold, each opened without following a link, at most `maxNesting` deep.
    static func removeContents(of descriptor: Int32, depth: Int = 0) {
        for entry in entries(of: descriptor) where unlinkat(descriptor, entry, 0) != 0 {
            guard errno == EISDIR, depth < maxNesting else { continue }
            let inner = openat(descriptor, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard inner >= 0 else { continue }
            removeContents(of: inner, depth: depth + 1)
            close(inner)
            unlinkat(descriptor, entry, AT_REMOVEDIR)
        }
    }

    /// How deep `removeContents` goes into directories made inside.
    static let maxNesting = 16

    /// The names in the directory open as `descriptor`, without `.` and `..`.
    static func entries(of descriptor: Int32) -> [String] {
        let listing = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0, let stream = fdopendir(listing) else {
            if listing >= 0 { close(listing) }
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes directories of ours that a killed pds-auth left in `root`: named as we name
    /// them, owned by this user, not a symbolic link, older than `sweepAge`, and with their
    /// lock free (a live pds-auth holds it until it exits, however it exits).
    static func sweepAbandoned(in root: Int32, now: Date = Date()) {
        for name in entries(of: root) where isOurName(name) {
            guard let seen = FileIdentity(at: name, in: root), seen.isDirectory, seen.owner == geteuid(),
                now.timeIntervalSince1970 - seen.modified >= sweepAge
            else { continue }
            let descriptor = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, FileIdentity(descriptor: descriptor) == seen else { continue }
            removeContents(of: descriptor)
            if FileIdentity(at: name, in: root) == seen { unlinkat(root, name, AT_REMOVEDIR) }
        }
    }

    static func isOurName(_ name: String) -> Bool {
        guard name.hasPrefix(namePrefix) else { return false }
        let rest = name.dropFirst(namePrefix.count)
        guard let dash = rest.firstIndex(of: "-"), ["exec", "login"].contains(rest[..<dash]) else { return false }
        let random = rest[rest.index(after: dash)...]
        return random.utf8.count == randomLength && random.utf8.allSatisfy { alphabet.contains($0) }
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    private static func randomName() -> String {
        String(decoding: SecureRandom.bytes(randomLength).map { alphabet[Int($0 & 31)] }, as: UTF8.self)
    }

    private static func failure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(.writeFailed, "Cannot \(action): \(String(cString: strerror(errno)))", details: ["path": path])
    }
}

/// Which file a name or descriptor refers to (device and inode), with the facts the private
/// directory checks need.
struct FileIdentity: Equatable, Sendable {
    var device: UInt
    var inode: UInt
    var owner: uid_t
    var isDirectory: Bool
    var modified: TimeInterval

    init(_ info: stat) {
        device = UInt(info.st_dev)
        inode = UInt(info.st_ino)
        owner = info.st_uid
        isDirectory = info.st_mode & S_IFMT == S_IFDIR
        modified = TimeInterval(info.st_mtim.tv_sec)
    }

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The entry `name` of the directory open as `directory`, not following a symbolic link.
    init?(at name: String, in directory: Int32) {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        self.init(info)
    }

    /// The same file: device and inode (times and owner may change meanwhile).
    static func == (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode
    }
}
