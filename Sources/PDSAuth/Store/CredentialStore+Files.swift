import FoundationEssentials
import Glibc

extension CredentialStore {
    /// Checks the directory before reading; false when it does not exist (nothing saved).
    func checkDirectory() throws(PDSAuthError) -> Bool {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            if errno == ENOENT { return false }
            throw PDSAuthError(
                .directoryUnusable, "Cannot use the credentials directory: \(String(cString: strerror(errno)))", details: ["path": directory])
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw PDSAuthError(.directoryUnusable, "The credentials path is not a directory", details: ["path": directory])
        }
        if info.st_uid == geteuid() {
            if info.st_mode & 0o077 != 0 {
                // Narrowing a shared directory (`PDS_AUTH_HOME=/tmp`, `/`, a home) would lock
                // its other users out: only one that is not sticky (sticky means shared) and
                // holds nothing but ours is narrowed.
                guard info.st_mode & S_ISVTX == 0, holdsOnlyOurFiles() else {
                    throw PDSAuthError(
                        .directoryUnusable,
                        "The credentials directory is open to other users (mode \(String(info.st_mode & 0o7777, radix: 8))) and is shared (sticky, or holding files that are not pds-auth's); pds-auth will not change its permissions",
                        details: ["path": directory])
                }
                try narrow(directory, to: 0o700, from: info.st_mode)
            }
        } else if info.st_mode & 0o022 != 0 {
            throw PDSAuthError(
                .directoryUnusable, "The credentials directory belongs to another user and others can write to it",
                details: ["path": directory])
        }
        return true
    }

    /// Whether the directory holds only the credentials file, its lock and temp files.
    private func holdsOnlyOurFiles() -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        let temporary = AtomicFile.temporaryPrefix(for: filePath)
        return names.allSatisfy { ["credentials.json", "credentials.lock"].contains($0) || $0.hasPrefix(temporary) }
    }

    private func narrow(_ path: String, to mode: mode_t, from old: mode_t) throws(PDSAuthError) {
        if case .report(let found) = permissionRepair { return found(path, old & 0o777, mode) }
        guard chmod(path, mode) == 0 else {
            throw PDSAuthError(
                .directoryUnusable, "The credentials directory is open to others (mode \(String(old & 0o777, radix: 8))) and cannot be restricted",
                details: ["path": path])
        }
        onWarning("\(path) was open to other users (mode \(String(old & 0o777, radix: 8))); narrowed it to \(String(mode, radix: 8))")
    }

    /// The file's bytes, nil when there is no file. Opened without following a symbolic
    /// link and without blocking on a FIFO, then checked to be a regular file of ours.
    func readFile() throws(PDSAuthError) -> Data? {
        let descriptor = open(filePath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw notRegular("is a symbolic link")
            default:
                throw PDSAuthError(
                    .credentialsUnreadable, "The credentials file cannot be read: \(String(cString: strerror(errno)))", details: ["path": filePath])
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw notRegular("is not a regular file") }
        guard info.st_uid == geteuid() else {
            throw PDSAuthError(
                .credentialsNotOwned, "The credentials file belongs to another user (uid \(info.st_uid)); pds-auth will not use it",
                details: ["path": filePath])
        }
        if info.st_mode & 0o077 != 0 {
            if case .report(let found) = permissionRepair {
                found(filePath, info.st_mode & 0o777, 0o600)
            } else if fchmod(descriptor, 0o600) == 0 {
                onWarning("\(filePath) was readable by other users (mode \(String(info.st_mode & 0o777, radix: 8))); narrowed it to 600")
            }
        }
        return try readAll(descriptor, size: Int(info.st_size))
    }

    private func readAll(_ descriptor: Int32, size: Int) throws(PDSAuthError) -> Data {
        guard size <= CredentialsFile.maxFileSize else {
            throw PDSAuthError(
                .credentialsCorrupt, "The credentials file is larger than any pds-auth writes; it will not be overwritten",
                details: ["path": filePath])
        }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw PDSAuthError(
                    .credentialsUnreadable, "The credentials file cannot be read: \(String(cString: strerror(errno)))", details: ["path": filePath])
            }
            if count == 0 { break }
            total += count
        }
        return Data(bytes[..<total])
    }

    private func notRegular(_ what: String) -> PDSAuthError {
        PDSAuthError(
            .credentialsNotRegular, "The credentials file \(what); pds-auth reads and replaces only a regular file", details: ["path": filePath])
    }

    /// Creates the directory 0700 (parents as needed) or checks and narrows an existing one.
    func ensureDirectory() throws(PDSAuthError) {
        if try checkDirectory() { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw PDSAuthError(.directoryUnusable, "Cannot create the credentials directory", details: ["path": directory])
        }
        _ = try checkDirectory()
    }

    /// Deals with the temp files of writers that died mid-save. Only a lock holder creates
    /// them and we hold the lock, so any that exist are abandoned. A complete one, not
    /// older than the file, is a save that was killed between its fsync and its rename: it holds
    /// the newest state (for a rotating refresh token, the only live one), so it is put in
    /// place. Partial or older ones are removed.
    func recoverInterruptedSave() {
        let prefix = AtomicFile.temporaryPrefix(for: filePath)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(prefix) }
        guard !names.isEmpty else { return }
        let current = modificationTime(filePath)
        // "Not older than the file", not "newer": timestamps advance by clock ticks, so a save
        // interrupted within a tick of the previous one has the same time. Every save runs
        // this under the lock first, so a temp file found here was written after the file.
        var best: (path: String, time: timespec)?
        for name in names {
            let path = directory + "/" + name
            guard let time = modificationTime(path), isComplete(path), current.map({ !isLater($0, than: time) }) ?? true,
                best.map({ isLater(time, than: $0.time) }) ?? true
            else { continue }
            best = (path, time)
        }
        if let best, rename(best.path, filePath) == 0 {
            AtomicFile.syncDirectory(directory)
            onWarning("recovered a save that was interrupted before it completed (\(best.path))")
        }
        for name in names where directory + "/" + name != best?.path { unlink(directory + "/" + name) }
    }

    private func modificationTime(_ path: String) -> timespec? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { return nil }
        return info.st_mtim
    }

    private func isLater(_ a: timespec, than b: timespec) -> Bool {
        a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec
    }

    /// A temp file that decodes as a whole credentials file this version can write.
    private func isComplete(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return (try? CredentialsFile.decode(data, path: path)) != nil
    }
}
