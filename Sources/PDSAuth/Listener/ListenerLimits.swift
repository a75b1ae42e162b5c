import HummingbirdCore
import NIOCore

/// Bounds for an attacker-reachable port. A browser's requests to us are a few hundred
/// bytes, so headers are capped tightly; idle connections are closed, and a connection must
/// deliver its request head soon after connecting (see `HeaderReadDeadline`).
public struct ListenerLimits: Sendable {
    public var idleTimeout: Duration
    public var headerDeadline: Duration
    public var maxHeaderFieldSize: Int
    public var maxHeaderListSize: Int
    public var maxHeaderFieldCount: Int

    public static let standard = ListenerLimits(idleTimeout: .seconds(10), headerDeadline: .seconds(10),
                                                maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)

    public init(idleTimeout: Duration, headerDeadline: Duration, maxHeaderFieldSize: Int, maxHeaderListSize: Int, maxHeaderFieldCount: Int) {
        self.idleTimeout = idleTimeout
        self.headerDeadline = headerDeadline
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderFieldCount = maxHeaderFieldCount
    }

    var http1: HTTP1Channel.Configuration {
        let deadline = TimeAmount(headerDeadline)
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [HeaderReadDeadline(deadline: deadline)],
            idleTimeout: TimeAmount(idleTimeout),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize,
                               maxHeaderFieldCount: maxHeaderFieldCount))
    }
}
