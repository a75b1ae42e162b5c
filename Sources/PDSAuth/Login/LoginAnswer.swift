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

    /// Hands `input` to the flow and returns its decision.
    public func submit(_ input: LoginAnswer.Input) async -> LoginReply {
        await withCheckedContinuation { (waiter: CheckedContinuation<LoginReply, Never>) in
            let slot = LoginReplySlot(waiter)
            if case .terminated = continuation.yield(LoginAnswer(input: input, reply: slot)) { slot.send(.ended) }
        }
    }

    /// Hands `input` to the flow without waiting for a decision.
    public func post(_ input: LoginAnswer.Input) {
        continuation.yield(LoginAnswer(input: input, reply: nil))
    }

    func finish() { continuation.finish() }
}

/// Where the decision on one submitted answer goes; answered exactly once. An answer the
/// flow never got to (it ended first) is told so when the slot goes away.
final class LoginReplySlot: Sendable {
    private let waiter: Mutex<CheckedContinuation<LoginReply, Never>?>

    init(_ waiter: CheckedContinuation<LoginReply, Never>) { self.waiter = Mutex(waiter) }

    func send(_ reply: LoginReply) {
        waiter.withLock { $0.take() }?.resume(returning: reply)
    }

    deinit { send(.ended) }
}
