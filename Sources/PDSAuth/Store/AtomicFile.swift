import FoundationEssentials
import Glibc
import PDSShared

/// Replaces a file so that readers (and a crash at any instant) see either the old or the
/// new complete contents: write a temp file in the same directory (created 0600 with
/// `O_EXCL`, so the secret is never readable by others, even briefly), fsync it, rename it
/// over the target, fsync the directory so the rename itself survives power loss. A writer
/// killed between the temp file's fsync and the rename leaves a complete temp file, which
/// the next writer adopts (see `CredentialStore.recoverInterruptedSave`).
public enum AtomicFile {
    /// Temp files are named `.<file>.tmp-<random>` beside the target.
    public static func temporaryPrefix(for path: String) -> String {
        ".\(lastComponent(path)).tmp-"
    }

    public static func write(_ data: Data, to path: String, directory: String) throws(PDSAuthError) {
        let temp = "\(directory)/\(temporaryPrefix(for: path))\(SecureRandom.token(bytes: 9))"
        let descriptor = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure("create a temporary file", path: temp) }
        var ok = data.withUnsafeBytes { writeAll(descriptor, $0) } && fsync(descriptor) == 0
        ok = close(descriptor) == 0 && ok
        guard ok, rename(temp, path) == 0 else {
            let error = failure("write the credentials file", path: path)
            unlink(temp)
            throw error
        }
        syncDirectory(directory)
    }

    /// The same discipline relative to a directory descriptor (`openat`, `renameat`), for
    /// directories that must not be reached through a path another user could re-point
    /// (`PrivateDirectory`). `shownAs` names the file in errors.
    static func write(_ bytes: [UInt8], to name: String, in directory: Int32, shownAs: String) throws(PDSAuthError) {
        let temp = ".\(name).tmp-\(SecureRandom.token(bytes: 9))"
        let descriptor = openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw plainFailure("create a temporary file for", path: shownAs) }
        var ok = bytes.withUnsafeBytes { writeAll(descriptor, $0) } && fsync(descriptor) == 0
        ok = close(descriptor) == 0 && ok
        guard ok, renameat(directory, temp, directory, name) == 0 else {
            let error = plainFailure("write", path: shownAs)
            unlinkat(directory, temp, 0)
            throw error
        }
        _ = fsync(directory)
    }

    /// Makes a rename in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/").last ?? "credentials"
    }

    private static func plainFailure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(.writeFailed, "Could not \(action) \(path): \(String(cString: strerror(errno)))")
    }

    static func failure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(.writeFailed, "Could not \(action): \(String(cString: strerror(errno))); the previous credentials are unchanged",
                     context: ["path": path])
    }
}
