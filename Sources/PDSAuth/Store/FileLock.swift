#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on a lock file beside the credentials. The kernel releases it
/// when the holder exits or is killed, so a crashed process never leaves it stuck. Waits
/// are bounded: we poll with LOCK_NB so the wait can time out and be cancelled.
public struct FileLock: ~Copyable {
    private let descriptor: Int32

    /// Releases the lock now (closing the descriptor drops the flock).
    public consuming func release() {}

    public static func acquire(path: String, timeout: Double) async throws(PDSAuthError) -> FileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PDSAuthError(.credentialStore, code: "lock_unavailable", "Cannot open the credentials lock file: \(String(cString: strerror(errno)))",
                               hint: "Check the permissions of the credentials directory.", context: ["path": path])
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(timeout * 1000))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline, !Task.isCancelled else {
                close(descriptor)
                throw PDSAuthError(.credentialStore, code: "lock_timeout",
                                   "Waited \(Int(timeout)) s for another pds-auth process to finish with the credentials file",
                                   hint: "Another pds-auth (login, refresh or token) holds the lock; retry when it is done.", context: ["lock": path])
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return FileLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}
