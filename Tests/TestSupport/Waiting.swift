/// Waiting on a condition instead of sleeping a fixed time: a test waits for the state it
/// needs (a file, a line of output, a count on a server, a process gone), polling briefly.
/// The deadline only bounds a broken run, so it is generous (a loaded two-core machine); a
/// healthy run goes on the moment the condition holds. A fixed sleep is left in a test only
/// where time passing is the point (a slow server, an expiry, a rate limit, a random moment
/// to kill at, room for something that must *not* happen), with a comment saying so.

/// The first non-nil value of `value`, polled every `interval` until `timeout` has passed;
/// nil if none came. The caller asserts, with its own message.
package func waitForValue<T>(
    timeout: Duration = .seconds(60), polling interval: Duration = .milliseconds(10),
    _ value: () async throws -> T?
) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let found = try await value() { return found }
        guard ContinuousClock.now < deadline else { return nil }
        try await Task.sleep(for: interval)
    }
}

/// Whether `condition` came to hold within `timeout`, polled every `interval`.
@discardableResult
package func waitUntil(
    timeout: Duration = .seconds(60), polling interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    try await waitForValue(timeout: timeout, polling: interval) { try await condition() ? true : nil } ?? false
}
