import Hummingbird

/// The listener's per-request context: Hummingbird's core storage plus the port the
/// connection arrived on, so the `Host` check compares against the port actually bound
/// (known only once the socket is bound, possibly to an ephemeral port).
public struct ListenerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let localPort: Int?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        localPort = source.channel.localAddress?.port
    }
}
