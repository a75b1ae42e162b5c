import Glibc

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
            throw PDSAuthError(.lockUnavailable, "Cannot open the credentials lock file: \(String(cString: strerror(errno)))",
                               details: ["path": path])
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline, !Task.isCancelled else {
                close(descriptor)
                if Task.isCancelled { throw PDSAuthError(.cancelled, "Cancelled while waiting for the credentials lock") }
                throw PDSAuthError(.lockTimeout, "Waited \(timeout.components.seconds) s for another pds-auth process to finish with the credentials file",
                                   details: ["lock": path])
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return FileLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}
