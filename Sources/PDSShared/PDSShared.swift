import Glibc

/// Plumbing that both the client library (`PDSAuth`) and the dev server (`PDSDevServer`)
/// need and that carries no protocol meaning: unguessable values, base64url, constant-time
/// comparison, page rendering and the security headers every page carries.
///
/// What is *not* here, on purpose: the OAuth and PDS protocol rules (form encoding, PKCE,
/// which hosts are loopback, JWT claims, error bodies). The dev server is the client's
/// oracle: it implements those rules a second time, independently, so that a bug in the
/// client's reading of an RFC cannot be hidden by the same bug on the server side. Where the
/// two must agree, they are held together by shared test vectors (`Tests/Vectors/`), not by
/// shared code.
package enum PDSShared {}

/// Writing to a file descriptor until everything is written: `write(2)` may write less than
/// asked, and is interrupted by signals (`EINTR`), which is no reason to give up.
package enum FileDescriptorWriting {
    /// True once all of `buffer` is written; false at the first real error.
    package static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// Runs blocking work (a libcurl transfer, waiting for a child process, the dev server's RSA
/// key generation) on a thread of its own. Not `DispatchQueue.global()`: on Linux Swift's
/// global executor runs on the same libdispatch pool, so parking blocking calls there
/// starves every async task until the pool notices and grows (about a second per extra
/// thread).
package enum BlockingThread {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start { continuation.resume(returning: work()) }
        }
    }

    /// Starts a detached thread running `body`.
    package static func start(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, context)
        if result == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had (resource limits): run inline rather than never.
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        }
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
