import Glibc

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
        let result = pthread_create(&thread, nil, { raw in
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
