import FoundationEssentials
import Synchronization

/// Something that reached the sign-in from outside, and a way to answer it. The listener
/// and paste-back turn their input into answers; `LoginFlow` alone decides what they mean.
public struct LoginAnswer: Sendable {
    /// Where an answer came from: the browser (the listener) or a line pasted in the terminal.
    public enum Source: Sendable, Equatable { case browser, paste }

    package enum Input: Sendable, Equatable {
        /// A request for the start page, with the key its URL carried (if any).
        case startPage(key: String?)
        /// The provider's redirect, as the browser delivered it to the callback path.
        case redirect(CallbackParameters)
        /// A line typed at the paste prompt.
        case pasted(String)
        /// The time to wait is up.
        case deadline
    }

    package var input: Input
    let reply: LoginReplySlot?

    package var source: Source {
        if case .pasted = input { .paste } else { .browser }
    }
}

/// The single stream of answers one sign-in receives. The listener `submit`s and awaits
/// the decision; paste-back and the deadline `post` and do not wait. Once the flow has
/// decided, the stream is finished and every later answer is told the sign-in has ended.
package final class LoginAnswers: Sendable {
    let stream: AsyncStream<LoginAnswer>
    private let continuation: AsyncStream<LoginAnswer>.Continuation

    package init() {
        (stream, continuation) = AsyncStream.makeStream(of: LoginAnswer.self)
    }

    /// Hands `input` to the flow and returns its decision; `.ended` when the flow has
    /// finished, or when the waiting task is cancelled (a listener shutting down must never
    /// wait for an answer that will not come).
    package func submit(_ input: LoginAnswer.Input) async -> LoginReply {
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
    package func post(_ input: LoginAnswer.Input) {
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

/// Progress a front end narrates while `LoginFlow` runs.
///
/// The flow waits for each event's handler before it goes on: a handler must not wait for
/// the sign-in itself (open a browser, do not wait for it to come back).
public enum LoginEvent: Sendable {
    /// An answer was refused and the sign-in keeps waiting.
    case refused(LoginRefusal, from: LoginAnswer.Source)
    /// A code arrived and is being exchanged at the token endpoint.
    case exchanging
}

/// Why an answer was not used. None of them ends the sign-in: only a redirect carrying this
/// sign-in's `state` (or a code typed into this process's terminal) does.
public enum LoginRefusal: Sendable, Equatable {
    /// A redirect without `state`: it cannot belong to this sign-in (a bare `error` too).
    case stateMissing
    /// A redirect whose `state` is another sign-in's (a stale tab) or forged.
    case stateMismatch
    /// A pasted line that is neither an address nor a code.
    case unparsable
    /// A pasted code (or address) the token endpoint did not accept as a grant: cut short,
    /// mistyped or already used. Typing is error-prone, so the wait goes on; a browser
    /// redirect carrying this sign-in's `state` still ends it either way.
    case codeRejected(String)
    /// This sign-in's `state`, but no `iss` where the issuer's metadata says its redirects
    /// carry one (RFC 9207); also a bare pasted code then, which has no `iss` to check.
    case issuerMissing
    /// This sign-in's `state` with an `iss` naming another issuer: a mix-up attack (RFC 9207,
    /// RFC 9700 §4.4), or a redirect from a server the user was not meant to reach.
    case issuerMismatch
}

/// What `LoginFlow` decided about one answer from the browser: which page it gets. The
/// listener renders it (see `LoginPages`); the flow never builds HTML.
package enum LoginReply: Sendable {
    /// The start page: what is being authorized, and the link to the provider.
    case start(StartPageContent)
    /// The start page was asked for without this run's key: nothing is revealed.
    case startLocked
    /// The sign-in succeeded and was saved.
    case signedIn(LoginResult)
    /// The sign-in ended without a token (the provider refused, the exchange failed).
    case failed(PDSAuthError)
    /// The answer was not used; the sign-in keeps waiting.
    case refused(LoginRefusal)
    /// The sign-in is over; this answer came too late.
    case ended
}

/// What the start page shows: enough for the user to recognise the request.
package struct StartPageContent: Sendable, Equatable {
    package var providerName: String
    package var clientID: String
    package var domain: String
    package var scope: String?
    /// The provider's authorize endpoint, without a query.
    package var provider: String
    package var redirectURI: String
    package var authorizeURL: URL
    package var profileName: String
}

/// A completed sign-in: the saved profile and where it went.
public struct LoginResult: Sendable {
    /// The name the profile was saved as.
    public var profileName: String
    /// The profile as saved, tokens included.
    public var profile: StoredProfile
    /// The credentials file it was saved in.
    public var credentialsPath: String

    /// A result with these values.
    public init(profileName: String, profile: StoredProfile, credentialsPath: String) {
        self.profileName = profileName
        self.profile = profile
        self.credentialsPath = credentialsPath
    }
}
