import Logging
import PDSShared
import Synchronization

/// Makes a server's keys on a thread of its own, started with the server, so that the
/// server binds and answers at once: RSA-2048 generation takes about 0.2 s in a release
/// build, seconds in a debug build, and was most of `login --dev`'s start. Only what needs
/// a key waits: ``keys()`` returns as soon as they exist, at once after that.
final class KeyGeneration: Sendable {
    private enum State {
        case running([CheckedContinuation<Result<GeneratedKeys, DevServerError>, Never>])
        case finished(Result<GeneratedKeys, DevServerError>)
    }

    private let state = Mutex(State.running([]))

    init(needsJWTAppKey: Bool, source: @escaping DevServerKeys.Source, logger: Logger) {
        BlockingThread.start { [self] in
            let result = Result { () throws(DevServerError) in
                try GeneratedKeys(try source(needsJWTAppKey), needsJWTAppKey: needsJWTAppKey)
            }
            if case .failure(let error) = result {
                logger.error("The dev server's RSA keys could not be generated", metadata: ["error": "\(error)"])
            }
            finish(result)
        }
    }

    /// The keys, once made, or why they could not be.
    func keys() async -> Result<GeneratedKeys, DevServerError> {
        if let finished = finishedResult() { return finished }
        return await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> Result<GeneratedKeys, DevServerError>? in
                switch state {
                case .finished(let result):
                    return result
                case .running(var waiting):
                    waiting.append(continuation)
                    state = .running(waiting)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// How many callers of ``keys()`` are waiting: tests wait for their requests to be
    /// parked here before they let the keys be made.
    var waiting: Int {
        state.withLock { state in
            if case .running(let waiting) = state { return waiting.count }
            return 0
        }
    }

    private func finishedResult() -> Result<GeneratedKeys, DevServerError>? {
        state.withLock { state in
            if case .finished(let result) = state { return result }
            return nil
        }
    }

    private func finish(_ result: Result<GeneratedKeys, DevServerError>) {
        let waiting = state.withLock { state -> [CheckedContinuation<Result<GeneratedKeys, DevServerError>, Never>] in
            guard case .running(let waiting) = state else { return [] }
            state = .finished(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }
}
