/// Counts requests as they happen; ``DevServer/statistics()`` returns a snapshot.
actor StatisticsRecorder {
    private var statistics = DevServerStatistics()

    func tokenRequest(_ key: GrantTypeKey) {
        statistics.tokenRequests[key.rawValue, default: 0] += 1
    }

    func tokenSuccess(_ key: GrantTypeKey) {
        statistics.tokenSuccesses[key.rawValue, default: 0] += 1
    }

    func revocation() {
        statistics.revocations += 1
    }

    func resourceRequest(_ endpoint: Endpoint) {
        statistics.resourceRequests[endpoint.rawValue, default: 0] += 1
    }

    func resourceUnauthorized() {
        statistics.resourceUnauthorized += 1
    }

    func snapshot() -> DevServerStatistics {
        statistics
    }
}
