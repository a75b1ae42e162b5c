import Hummingbird
import Synchronization

/// The state one `login` shares between the loopback listener and paste-back (the two ways
/// the redirect can arrive): the expected `state`, the start page, and the single outcome.
/// The first answer that settles the sign-in wins; later ones only get a page or a message.
public final class LoginSession: Sendable {
    let stateGuard: StateGuard
    private let pages: PageRenderer
    private let exchange: @Sendable (String) async -> Result<LoginResult, PDSAuthError>
    private let startHTML = Mutex<String?>(nil)
    private let port = Atomic<Int>(0)
    private let continuation: AsyncStream<Result<LoginResult, PDSAuthError>>.Continuation
    /// Yields exactly one outcome, then finishes.
    public let outcome: AsyncStream<Result<LoginResult, PDSAuthError>>

    public init(expectedState: String, pages: PageRenderer,
                exchange: @escaping @Sendable (String) async -> Result<LoginResult, PDSAuthError>) {
        self.stateGuard = StateGuard(expected: expectedState)
        self.pages = pages
        self.exchange = exchange
        (outcome, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(1))
    }

    public var boundPort: Int { port.load(ordering: .relaxed) }
    func setBoundPort(_ value: Int) { port.store(value, ordering: .relaxed) }
    func startPage() -> String? { startHTML.withLock { $0 } }
    func setStartPage(_ html: String) { startHTML.withLock { $0 = html } }

    /// Ends the sign-in with `result` (first call wins).
    public func finish(_ result: Result<LoginResult, PDSAuthError>) {
        continuation.yield(result)
        continuation.finish()
    }

    /// Checks and acts on one redirect; returns the page for the browser.
    public func handleCallback(_ parameters: CallbackParameters) async -> (HTTPResponse.Status, String) {
        if parameters.state == nil, let error = parameters.error {
            return fail(.badRequest, Self.providerError(error, parameters.errorDescription), title: "Sign-in refused")
        }
        switch stateGuard.consume(parameters.state) {
        case .missing:
            return fail(.badRequest, PDSAuthError(.callbackRejected, code: "state_missing",
                "The redirect carried no state, so it cannot be matched to this sign-in; no code was exchanged",
                hint: "Start again with `pds-auth login` and use the link on its page."), title: "Sign-in rejected")
        case .mismatch:
            return fail(.badRequest, PDSAuthError(.callbackRejected, code: "state_mismatch",
                "The redirect's state does not match this sign-in (a stale tab or a forged request); no code was exchanged",
                hint: "Close old sign-in tabs and start again with `pds-auth login`."), title: "Sign-in rejected")
        case .alreadyUsed:
            let error = PDSAuthError(.callbackRejected, code: "state_replayed",
                "This redirect was already used; a sign-in link works once",
                hint: "Check the terminal for the result, or start again with `pds-auth login`.")
            return (.conflict, pages.problem(error, title: "Already used"))
        case .accepted:
            return await accepted(parameters)
        }
    }

    private func accepted(_ parameters: CallbackParameters) async -> (HTTPResponse.Status, String) {
        switch await settle(parameters) {
        case .failure(let error) where error.status == .authorizationDenied: (.ok, pages.problem(error, title: "Sign-in refused"))
        case .failure(let error) where error.status == .callbackRejected: (.badRequest, pages.problem(error, title: "Sign-in rejected"))
        case .failure(let error): (.ok, pages.problem(error, title: "Sign-in failed"))
        case .success(let login): (.ok, SuccessPage.render(login, pages: pages))
        }
    }

    /// After `state` was accepted: the provider's error, or the code's exchange; either way
    /// the sign-in ends here.
    func settle(_ parameters: CallbackParameters) async -> Result<LoginResult, PDSAuthError> {
        let result: Result<LoginResult, PDSAuthError>
        if let error = parameters.error {
            result = .failure(Self.providerError(error, parameters.errorDescription))
        } else if let code = parameters.code, !code.isEmpty {
            result = await exchange(code)
        } else {
            result = .failure(PDSAuthError(.callbackRejected, code: "code_missing",
                "The redirect carried neither a code nor an error", hint: "Start again with `pds-auth login`."))
        }
        finish(result)
        return result
    }

    private func fail(_ status: HTTPResponse.Status, _ error: PDSAuthError, title: String) -> (HTTPResponse.Status, String) {
        finish(.failure(error))
        return (status, pages.problem(error, title: title))
    }

    /// RFC 6749 §4.1.2.1 error redirect. Both values are attacker-controllable text.
    static func providerError(_ error: String, _ description: String?) -> PDSAuthError {
        let code = Redaction.terminalSafe(error, limit: 80)
        let detail = description.map { ": " + Redaction.terminalSafe($0, limit: 300) } ?? ""
        let hint = code == "access_denied" ? "Sign in again and approve the request." : "Check the app's settings in the PDS console, then sign in again."
        return PDSAuthError(.authorizationDenied, code: code, "The provider refused the authorization (\(code)\(detail))", hint: hint)
    }
}
