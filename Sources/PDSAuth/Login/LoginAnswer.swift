import Synchronization

/// Something that reached the sign-in from outside, and a way to answer it. The listener
/// and paste-back turn their input into answers; `LoginFlow` alone decides what they mean.
public struct LoginAnswer: Sendable {
    public enum Source: Sendable, Equatable { case browser, paste }

    public enum Input: Sendable, Equatable {
        /// A request for the start page, with the key its URL carried (if any).
        case startPage(key: String?)
        /// The provider's redirect, as the browser delivered it to the callback path.
        case redirect(CallbackParameters)
        /// A line typed at the paste prompt.
        case pasted(String)
        /// The time to wait is up.
        case deadline
    }

    public var input: Input
    let reply: LoginReplySlot?

    public var source: Source {
        if case .pasted = input { .paste } else { .browser }
    }
}

/// The single stream of answers one sign-in receives. The listener `submit`s and awaits
/// the decision; paste-back and the deadline `post` and do not wait. Once the flow has
/// decided, the stream is finished and every later answer is told the sign-in has ended.
public final class LoginAnswers: Sendable {
    let stream: AsyncStream<LoginAnswer>
    private let continuation: AsyncStream<LoginAnswer>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: LoginAnswer.self)
    }

    /// Hands `input` to the flow and returns its decision; `.ended` when the flow has
    /// finished, or when the waiting task is cancelled (a listener shutting down must never
    /// wait for an answer that will not come).
    public func submit(_ input: LoginAnswer.Input) async -> LoginReply {
        let slot = LoginReplySlot()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<LoginReply, Never>) in
                slot.wait(with: waiter)
                if case .terminated = continuation.yield(LoginAnswer(input: input, reply: slot)) { slot.send(.ended) }
            }
        } onCancel: {
            slot.send(.ended)
        }
    }

    /// After the flow has decided: no more answers, and every one still queued is told.
    func close() async {
        continuation.finish()
        for await late in stream { late.reply?.send(.ended) }
    }

    /// Hands `input` to the flow without waiting for a decision.
    public func post(_ input: LoginAnswer.Input) {
        continuation.yield(LoginAnswer(input: input, reply: nil))
    }
}

/// Where the decision on one submitted answer goes; answered exactly once. An answer the
/// flow never got to (it ended first) is told so when the slot goes away.
final class LoginReplySlot: Sendable {
    private struct State {
        var waiter: CheckedContinuation<LoginReply, Never>?
        /// A reply sent before the waiter arrived (cancelled at once).
        var early: LoginReply?
    }

    private let state = Mutex(State())

    func wait(with waiter: CheckedContinuation<LoginReply, Never>) {
        let early: LoginReply? = state.withLock { state in
            if let early = state.early { return early }
            state.waiter = waiter
            return nil
        }
        if let early { waiter.resume(returning: early) }
    }

    /// The first reply wins; later ones are ignored.
    func send(_ reply: LoginReply) {
        let waiter: CheckedContinuation<LoginReply, Never>? = state.withLock { state in
            if let waiter = state.waiter.take() { return waiter }
            if state.early == nil { state.early = reply }
            return nil
        }
        waiter?.resume(returning: reply)
    }

    deinit { send(.ended) }
}
