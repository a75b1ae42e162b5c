import FoundationEssentials
import Glibc
import PDSShared
import Synchronization

/// Replaces a file so that readers (and a crash at any instant) see either the old or the
/// new complete contents: write a temp file in the same directory (created 0600 with
/// `O_EXCL`, so the secret is never readable by others, even briefly), fsync it, rename it
/// over the target, fsync the directory so the rename itself survives power loss. A writer
/// killed between the temp file's fsync and the rename leaves a complete temp file, which
/// the next writer adopts (see `CredentialStore.recoverInterruptedSave`).
package enum AtomicFile {
    /// Temp files are named `.<file>.tmp-<random>` beside the target.
    package static func temporaryPrefix(for path: String) -> String {
        ".\(lastComponent(path)).tmp-"
    }

    package static func write(_ data: Data, to path: String, directory: String) throws(PDSAuthError) {
        let temp = "\(directory)/\(temporaryPrefix(for: path))\(SecureRandom.token(bytes: 9))"
        let descriptor = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure("create a temporary file", path: temp) }
        try complete(descriptor, with: data, temp: temp, path: path, directory: directory, cutFirst: false)
    }

    /// The end of every replacement: `data` written at the start of the open temp file (cut
    /// to its size first when it was reserved larger), fsynced and closed, renamed over
    /// `path`, the directory fsynced. When a step fails the temp file is removed and the
    /// target is as it was.
    private static func complete(
        _ descriptor: Int32, with data: Data, temp: String, path: String, directory: String, cutFirst: Bool
    ) throws(PDSAuthError) {
        var ok = !cutFirst || (ftruncate(descriptor, off_t(data.count)) == 0 && lseek(descriptor, 0, SEEK_SET) == 0)
        ok = ok && data.withUnsafeBytes { FileDescriptorWriting.writeAll(descriptor, $0) } && fsync(descriptor) == 0
        ok = close(descriptor) == 0 && ok
        guard ok, rename(temp, path) == 0 else {
            let error = failure("write the credentials file", path: path)
            unlink(temp)
            throw error
        }
        syncDirectory(directory)
    }

    /// Claims the room a replacement of `path` needs before work whose result must not be
    /// lost: a refresh retires the old refresh token the moment the server answers, so
    /// finding out only then that the disk is full loses the session. The temp file is made
    /// now with `bytes` allocated (`posix_fallocate`); `Reservation.commit` writes into it.
    package static func reserve(for path: String, directory: String, bytes: Int) throws(PDSAuthError) -> Reservation {
        let temp = "\(directory)/\(temporaryPrefix(for: path))\(SecureRandom.token(bytes: 9))"
        let descriptor = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw reservationFailure(errno, directory: directory) }
        let result = posix_fallocate(descriptor, 0, off_t(bytes))
        guard result == 0 else {
            close(descriptor)
            unlink(temp)
            throw reservationFailure(result, directory: directory)
        }
        return Reservation(descriptor: descriptor, temp: temp, path: path, directory: directory)
    }

    private static func reservationFailure(_ number: Int32, directory: String) -> PDSAuthError {
        let reason = number == ENOSPC || number == EDQUOT ? "there is not enough free space" : String(cString: strerror(number))
        return PDSAuthError(
            .writeFailed, "Cannot save in the credentials directory (\(reason)); nothing was sent and the credentials are unchanged",
            details: ["path": directory])
    }

    /// A temp file with room for a replacement (see `reserve`). Used by one task; either
    /// `commit` or `discard` ends it (`deinit` discards).
    package final class Reservation {
        private var descriptor: Int32
        let temp: String
        let path: String
        let directory: String

        init(descriptor: Int32, temp: String, path: String, directory: String) {
            self.descriptor = descriptor
            self.temp = temp
            self.path = path
            self.directory = directory
        }

        /// Cuts the reserved file to the size of `data` (the room up to it stays claimed),
        /// writes `data` into it, fsyncs it and renames it over the target: once the write is
        /// done the temp file is whole, as with `AtomicFile.write`, so a kill at any step
        /// leaves what that does. (Cut after the write, a kill in between left the new tokens
        /// followed by the reservation's zeros, which no later run could adopt.)
        package func commit(_ data: Data) throws(PDSAuthError) {
            let descriptor = take()
            guard descriptor >= 0 else { throw PDSAuthError(.internal, "A reservation was used twice") }
            try AtomicFile.complete(descriptor, with: data, temp: temp, path: path, directory: directory, cutFirst: true)
        }

        /// Gives the room back: nothing is written.
        package func discard() {
            let descriptor = take()
            guard descriptor >= 0 else { return }
            close(descriptor)
            unlink(temp)
        }

        private func take() -> Int32 {
            defer { descriptor = -1 }
            return descriptor
        }

        deinit { discard() }
    }

    /// The same discipline relative to a directory descriptor (`openat`, `renameat`), for
    /// directories that must not be reached through a path another user could re-point
    /// (`PrivateDirectory`). `shownAs` names the file in errors.
    static func write(_ bytes: [UInt8], to name: String, in directory: Int32, shownAs: String) throws(PDSAuthError) {
        let temp = ".\(name).tmp-\(SecureRandom.token(bytes: 9))"
        let descriptor = openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw plainFailure("create a temporary file for", path: shownAs) }
        var ok = bytes.withUnsafeBytes { FileDescriptorWriting.writeAll(descriptor, $0) } && fsync(descriptor) == 0
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

    private static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/").last ?? "credentials"
    }

    private static func plainFailure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(.writeFailed, "Could not \(action) \(path): \(String(cString: strerror(errno)))")
    }

    static func failure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(
            .writeFailed, "Could not \(action): \(String(cString: strerror(errno)))",
            details: ["path": path])
    }
}

/// An exclusive `flock(2)` on a lock file beside the credentials. The kernel releases it
/// when the holder exits or is killed, so a crashed process never leaves it stuck. Waits
/// are bounded: we poll with LOCK_NB so the wait can time out and be cancelled.
package struct FileLock: ~Copyable {
    private let descriptor: Int32

    /// Releases the lock now (closing the descriptor drops the flock).
    package consuming func release() {}

    package static func acquire(path: String, timeout: Duration) async throws(PDSAuthError) -> FileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw PDSAuthError(
                .lockUnavailable, "Cannot open the credentials lock file: \(String(cString: strerror(errno)))",
                details: ["path": path])
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline, !Task.isCancelled else {
                close(descriptor)
                if Task.isCancelled { throw PDSAuthError(.cancelled, "Cancelled while waiting for the credentials lock") }
                throw PDSAuthError(
                    .lockTimeout, "Waited \(timeout.components.seconds) s for another pds-auth process to finish with the credentials file",
                    details: ["lock": path])
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return FileLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

/// A value shared between tasks and threads, every access under a mutex.
package final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) { mutex = Mutex(value) }

    package var value: Value { mutex.withLock { $0 } }

    package func set(_ value: Value) { mutex.withLock { $0 = value } }

    @discardableResult
    package func update<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
