import PDSAuth

/// Runs a command's work so that SIGINT/SIGTERM cancel it cleanly; the error then carries
/// exit status 130 / 143.
enum CancellableRun {
    static func run<T: Sendable>(terminal: Terminal, _ work: @escaping @Sendable () async throws(PDSAuthError) -> T) async throws(PDSAuthError) -> T {
        let task = Task { () throws(PDSAuthError) -> T in try await work() }
        let trap = SignalTrap { task.cancel() }
        let result = await task.result
        if let status = trap.exitStatus {
            throw PDSAuthError(status, code: "interrupted", "Interrupted; nothing was saved and the listener was closed")
        }
        switch result {
        case .success(let value): return value
        case .failure(let error as PDSAuthError): throw error
        case .failure(let error): throw PDSAuthError(.failure, code: "unexpected", "Unexpected failure: \(error)")
        }
    }
}
