import Hummingbird

/// Applies an armed ``DevServerFault`` to the token request being handled.
struct FaultInjection: Sendable {
    let fault: DevServerFault
    let context: DevServerRequestContext

    /// The response that replaces the normal one, or nil when the request goes on (after a
    /// delay, or to be slowed down afterwards).
    func replacement() async -> Response? {
        switch fault {
        case .delay(let milliseconds):
            // A cancelled request (the client gave up) ends the wait early; nothing is owed.
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return nil
        case .status(let code, let retryAfter):
            return JSONResponse.error(FaultResponse.status(code, retryAfter: retryAfter), requestID: context.requestID)
        case .dropConnection:
            context.dropConnection()
            return Response(status: .internalServerError)
        case .invalidJSON:
            return FaultResponse.invalidJSON()
        case .oversizedBody(let bytes):
            return FaultResponse.oversized(bytes: bytes)
        case .slowBody:
            return nil
        }
    }
}
