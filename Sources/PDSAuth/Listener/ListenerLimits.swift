import Glibc
import HummingbirdCore
import NIOCore

/// Bounds for an attacker-reachable port. A browser's requests to the listener are a few
/// hundred bytes and carry no body, so requests are capped tightly, and every connection is
/// bounded in time and in number (see `ConnectionGuard`).
public struct ListenerLimits: Sendable {
    /// A connection with nothing to do is closed after this.
    public var idleTimeout: Duration
    /// A connection must deliver a complete request head within this of connecting (or of
    /// its previous response): a client trickling bytes (slowloris) cannot hold it.
    public var headerDeadline: Duration
    /// No connection lives longer than this, except to finish a response in progress.
    public var connectionLifetime: Duration
    /// Open connections at most; beyond it the oldest idle one is closed to make room, so a
    /// flood of connections can never keep the real browser out.
    public var maxConnections: Int
    public var maxHeaderFieldSize: Int
    public var maxHeaderListSize: Int
    public var maxHeaderFieldCount: Int

    public static var standard: ListenerLimits {
        ListenerLimits(idleTimeout: .seconds(10), headerDeadline: .seconds(10), connectionLifetime: .seconds(60),
                       maxConnections: defaultMaxConnections(), maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024,
                       maxHeaderFieldCount: 100)
    }

    public init(idleTimeout: Duration, headerDeadline: Duration, connectionLifetime: Duration, maxConnections: Int,
                maxHeaderFieldSize: Int, maxHeaderListSize: Int, maxHeaderFieldCount: Int) {
        self.idleTimeout = idleTimeout
        self.headerDeadline = headerDeadline
        self.connectionLifetime = connectionLifetime
        self.maxConnections = maxConnections
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderFieldCount = maxHeaderFieldCount
    }

    /// 256 (a browser opens a handful), but always well below the descriptor limit, so that
    /// accepting never fails with EMFILE (which makes SwiftNIO pause accepting for a second).
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 64 }
        let available = limit.rlim_cur == rlim_t.max ? 4096 : Int(clamping: limit.rlim_cur) - 96
        return max(8, min(256, available / 2))
    }

    func http1(registry: ConnectionRegistry) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(registry: registry, limits: self)],
            idleTimeout: TimeAmount(idleTimeout),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize,
                                            maxHeaderFieldCount: maxHeaderFieldCount))
    }
}
