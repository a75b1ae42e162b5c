/// Fault injection for `POST /v2/oauth/token`, reachable as ``DevServer/faults``.
///
/// One fault is armed at a time and applies to the next `times` token requests; every
/// token request counts, whatever its grant type or outcome.
public actor DevServerFaults {
    private var armed: DevServerFault?
    private var remaining = 0

    public init() {}

    /// Arms `fault` for the next `times` token requests, replacing any fault still armed.
    /// `times <= 0` disarms.
    public func set(_ fault: DevServerFault, times: Int) {
        armed = times > 0 ? fault : nil
        remaining = max(times, 0)
    }

    /// Disarms any fault.
    public func clear() {
        armed = nil
        remaining = 0
    }

    /// How many more token requests the armed fault will hit.
    public func remainingCount() -> Int {
        remaining
    }

    /// The fault for the token request being handled, if any; counts it down.
    func take() -> DevServerFault? {
        guard let fault = armed, remaining > 0 else { return nil }
        remaining -= 1
        if remaining == 0 { armed = nil }
        return fault
    }
}
