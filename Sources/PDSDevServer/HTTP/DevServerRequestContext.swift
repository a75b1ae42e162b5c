import Hummingbird

/// The per-request context: Hummingbird's core storage, a 64 KiB body bound, and a way to
/// drop the connection for the `dropConnection` fault.
struct DevServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the TCP connection without an answer, as a crashing server or a broken proxy
    /// would.
    let dropConnection: @Sendable () -> Void
    /// Sent as `x-ca-request-id` and as `requestId` in error bodies (PDS error reference);
    /// set by ``RequestIDMiddleware`` before anything else.
    var requestID = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        let channel = source.channel
        dropConnection = { channel.close(promise: nil) }
    }

    var maxUploadSize: Int { 64 * 1024 }
}
