import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// Polices one listener connection before Hummingbird sees it. The listener serves only
/// bodiless GET and HEAD requests, so:
/// - a request with another method, a body (`Content-Length` other than 0, or
///   `Transfer-Encoding`), no `Host` or two `Host` headers is answered at once and the
///   connection closed: no body is ever waited for, however slowly it is trickled;
/// - a request head must arrive within `headerDeadline` of connecting or of the previous
///   response (slowloris), and no connection outlives `connectionLifetime` (a response in
///   progress is finished first);
/// - a malformed or oversized head (request line or header over the decoder's limits) gets
///   400 and the connection is closed;
/// - the connection is registered with the listener's `ConnectionRegistry`, which closes the
///   oldest idle connection when there are too many.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: ConnectionRegistry
    private let limits: ListenerLimits
    private var headTimer: Scheduled<Void>?
    private var lifeTimer: Scheduled<Void>?
    private var inFlight = false
    private var refused = false
    private var closeAfterResponse = false

    init(registry: ConnectionRegistry, limits: ListenerLimits) {
        self.registry = registry
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.opened(context.channel)?.close(promise: nil)
        armHeadTimer(context)
        let channel = context.channel
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        lifeTimer = context.eventLoop.scheduleTask(in: TimeAmount(limits.connectionLifetime)) {
            if loopBound.value.inFlight { loopBound.value.closeAfterResponse = true } else { channel.close(promise: nil) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headTimer?.cancel()
        lifeTimer?.cancel()
        registry.closed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        if case .head(let request) = unwrapInboundIn(data) {
            headTimer?.cancel()
            headTimer = nil
            if let status = Self.refusal(for: request) {
                refuse(context, status)
                return
            }
            inFlight = true
            registry.setBusy(context.channel, true)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd: Bool
        if case .end = unwrapOutboundIn(data) { isEnd = true } else { isEnd = false }
        context.write(data, promise: promise)
        guard isEnd, inFlight else { return }
        inFlight = false
        registry.setBusy(context.channel, false)
        if closeAfterResponse {
            context.flush()
            context.close(promise: nil)
        } else {
            armHeadTimer(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The HTTP decoder's verdict on a malformed or oversized head.
        if error is HTTPParserError, !inFlight, !refused {
            refuse(context, .badRequest)
        } else {
            context.fireErrorCaught(error)
        }
    }

    /// Why a request is refused before it reaches the responder, or nil to let it through.
    static func refusal(for request: HTTPRequest) -> HTTPResponse.Status? {
        guard request.method == .get || request.method == .head else { return .methodNotAllowed }
        let fields = request.headerFields
        if let length = fields[.contentLength], length != "0" { return .contentTooLarge }
        if fields[.transferEncoding] != nil { return .contentTooLarge }
        // The first Host header became the authority; any other is still in the fields.
        if request.authority == nil || fields[HTTPField.Name("Host")!] != nil { return .badRequest }
        return nil
    }

    private func refuse(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status) {
        refused = true
        headTimer?.cancel()
        let body = ByteBuffer(
            string: status == .badRequest
                ? "Bad request: malformed, too long, or not addressed to a single host.\n"
                : "pds-auth's sign-in listener answers only GET and HEAD requests without a body.\n")
        var fields: HTTPFields = [
            .contentType: "text/plain; charset=utf-8", .connection: "close",
            .contentLength: String(body.readableBytes), .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'none'", .cacheControl: "no-store",
        ]
        if status == .methodNotAllowed { fields[.allow] = "GET, HEAD" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func armHeadTimer(_ context: ChannelHandlerContext) {
        headTimer?.cancel()
        let channel = context.channel
        headTimer = context.eventLoop.scheduleTask(in: TimeAmount(limits.headerDeadline)) { channel.close(promise: nil) }
    }
}

/// The open connections of one sign-in's listener (all its addresses), oldest first, and
/// whether each is busy with a request. When a new connection would exceed the capacity,
/// the oldest idle one is given up: a flood of idle or trickling connections cannot lock
/// the real browser out, and the listener never runs out of descriptors.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let serial: Int
        var busy: Bool
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var nextSerial = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Registers `channel`; returns the connection to close to make room, if any.
    func opened(_ channel: any Channel) -> (any Channel)? {
        state.withLock { state in
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, serial: state.nextSerial, busy: false)
            state.nextSerial += 1
            guard state.entries.count > capacity else { return nil }
            let victim = state.entries.values.filter { !$0.busy && $0.channel !== channel }.min { $0.serial < $1.serial }
            guard let victim else { return nil }
            state.entries[ObjectIdentifier(victim.channel)] = nil
            return victim.channel
        }
    }

    func setBusy(_ channel: any Channel, _ busy: Bool) {
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.busy = busy }
    }

    func closed(_ channel: any Channel) {
        state.withLock { _ = $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
