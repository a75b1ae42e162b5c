import Hummingbird

/// The listener's per-request context: Hummingbird's core storage plus the port the
/// connection arrived on, so the `Host` check compares against the port actually bound
/// (known only once the socket is bound, possibly to an ephemeral port).
package struct ListenerRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package let localPort: Int?

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        localPort = source.channel.localAddress?.port
    }
}
