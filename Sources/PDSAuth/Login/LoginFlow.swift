import FoundationEssentials
import PDSShared

/// The authorization-code round trip (RFC 6749 §4.1 with RFC 7636 PKCE and RFC 8252
/// loopback redirects), once the listener is bound: it owns the answers, checks the start
/// page's key and the redirect's `state`, exchanges the code, saves, and decides what every
/// answer is told. Nothing is written unless the exchange succeeded.
///
/// Only a redirect carrying this sign-in's `state` ends the sign-in (with a token, or with
/// the provider's error); a code typed into this process's own terminal (paste-back) does
/// too. Anything else (a wrong, stale or missing `state`, a bare `error`, a start-page
/// request without this run's key) is refused and the wait goes on, so another local user
/// or a web page can neither end nor hijack it.
package struct LoginFlow: Sendable {
    package let configuration: LoginConfiguration
    /// The redirect target as bound, its port resolved.
    package let redirect: RedirectTarget
    let answers: LoginAnswers
    let state: String
    let startKey: String
    let pkce: PKCE?
    package let authorizeURL: URL

    /// The query parameter of the start page's URL that carries this run's key.
    package static let startKeyParameter = "key"

    package init(configuration: LoginConfiguration, redirect: RedirectTarget, answers: LoginAnswers) {
        self.configuration = configuration
        self.redirect = redirect
        self.answers = answers
        state = SecureRandom.token(bytes: 32)
        startKey = SecureRandom.token(bytes: 24)
        pkce = configuration.usePKCE ? PKCE() : nil
        authorizeURL = AuthorizationRequest(
            clientID: configuration.clientID, redirectURI: redirect.uri, scope: configuration.scope,
            domainID: configuration.domainID, loginType: configuration.loginType,
            state: state, pkce: pkce
        ).url(endpoint: configuration.endpoints.authorizeURL)
    }

    /// The start page with this run's key: the only URL that reveals the authorize link.
    package var startURL: String {
        "\(redirect.origin)/?\(Self.startKeyParameter)=\(startKey)"
    }

    /// Waits for answers until one ends the sign-in, or the timeout, or cancellation.
    package func run(onEvent: @escaping @Sendable (LoginEvent) async -> Void = { _ in }) async throws(PDSAuthError) -> LoginResult {
        let answers = self.answers
        let timeout = configuration.timeout
        let outcome = await withTaskGroup(of: Void.self) { group -> Result<LoginResult, PDSAuthError> in
            // The deadline is one more answer; it ends with the wait.
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return }
                answers.post(.deadline)
            }
            var outcome: Result<LoginResult, PDSAuthError> = .failure(PDSAuthError(.cancelled, "Sign-in interrupted; nothing was saved"))
            for await answer in answers.stream {
                if let decided = await decide(answer, onEvent: onEvent) {
                    outcome = decided
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
        await answers.close()
        return try outcome.get()
    }

    /// What one answer means: nil to keep waiting, or the sign-in's outcome.
    func decide(_ answer: LoginAnswer, onEvent: @Sendable (LoginEvent) async -> Void) async -> Result<LoginResult, PDSAuthError>? {
        switch answer.input {
        case .startPage(let key):
            answer.reply?.send(key.map { ConstantTime.equals($0, startKey) } == true ? .start(startPage) : .startLocked)
            return nil
        case .redirect(let parameters):
            return await redirected(parameters, answer, onEvent: onEvent)
        case .pasted(let line):
            return await pasted(line, answer, onEvent: onEvent)
        case .deadline:
            return .failure(PDSAuthError(.signInTimedOut, "No sign-in arrived within \(timeout); nothing was saved"))
        }
    }

    private var timeout: String {
        let seconds = configuration.timeout.components.seconds
        return seconds % 60 == 0 && seconds >= 120 ? "\(seconds / 60) min" : "\(seconds) s"
    }

    private func redirected(
        _ parameters: CallbackParameters, _ answer: LoginAnswer,
        onEvent: @Sendable (LoginEvent) async -> Void
    ) async -> Result<LoginResult, PDSAuthError>? {
        guard let received = parameters.state, !received.isEmpty else {
            return await refuse(.stateMissing, answer, onEvent: onEvent)
        }
        guard ConstantTime.equals(received, state) else { return await refuse(.stateMismatch, answer, onEvent: onEvent) }
        // RFC 9207: before the code or the error is believed, it must come from our issuer.
        switch AuthorizationResponseIssuer.check(parameters.iss, against: configuration.endpoints) {
        case .accepted: break
        case .missing: return await refuse(.issuerMissing, answer, onEvent: onEvent)
        case .mismatch: return await refuse(.issuerMismatch, answer, onEvent: onEvent)
        }
        if let error = parameters.error {
            return settle(.failure(Self.providerError(error, parameters.errorDescription)), answer)
        }
        guard let code = parameters.code, !code.isEmpty else {
            return settle(
                .failure(
                    PDSAuthError(
                        .redirectUnusable, "The provider's redirect carried this sign-in's state but neither a code nor an error; nothing was saved")),
                answer)
        }
        return await exchange(code, answer, onEvent: onEvent)
    }

    private func pasted(
        _ line: String, _ answer: LoginAnswer, onEvent: @Sendable (LoginEvent) async -> Void
    ) async -> Result<LoginResult, PDSAuthError>? {
        if line.trimmed().isEmpty { return nil }
        switch PastedAnswer.parse(line) {
        case .code(let code)?:
            // No state to check: the line came from this process's own terminal, which no
            // web page can write to (RFC 6749 §10.12 guards against forged browser redirects).
            // But no `iss` either: where the issuer sends one, only a whole address will do.
            if AuthorizationResponseIssuer.check(nil, against: configuration.endpoints) == .missing {
                return await refuse(.issuerMissing, answer, onEvent: onEvent)
            }
            return await exchange(code, answer, onEvent: onEvent)
        case .redirect(let parameters)?:
            return await redirected(parameters, answer, onEvent: onEvent)
        case nil:
            return await refuse(.unparsable, answer, onEvent: onEvent)
        }
    }

    private func refuse(
        _ refusal: LoginRefusal, _ answer: LoginAnswer,
        onEvent: @Sendable (LoginEvent) async -> Void
    ) async -> Result<LoginResult, PDSAuthError>? {
        answer.reply?.send(.refused(refusal))
        await onEvent(.refused(refusal, from: answer.source))
        return nil
    }

    private func settle(_ outcome: Result<LoginResult, PDSAuthError>, _ answer: LoginAnswer) -> Result<LoginResult, PDSAuthError> {
        switch outcome {
        case .success(let result): answer.reply?.send(.signedIn(result))
        case .failure(let error): answer.reply?.send(.failed(error))
        }
        return outcome
    }

    /// Code → tokens → saved profile (made the current one).
    private func exchange(
        _ code: String, _ answer: LoginAnswer, onEvent: @Sendable (LoginEvent) async -> Void
    ) async -> Result<LoginResult, PDSAuthError>? {
        await onEvent(.exchanging)
        let config = configuration
        let outcome: Result<LoginResult, PDSAuthError>
        do throws(PDSAuthError) {
            let grant = TokenGrant.authorizationCode(code: code, redirectURI: redirect.uri, codeVerifier: pkce?.verifier)
            let receivedAt = Date()
            let response = try await config.exchange(
                TokenExchange.Request(
                    tokenURL: config.endpoints.tokenURL, clientID: config.clientID,
                    clientSecret: config.clientSecret, domainID: config.domainID,
                    transport: config.transport, grant: grant))
            outcome = .success(try await config.save(response, grant: .authorizationCode, redirectURI: redirect.uri, receivedAt: receivedAt))
        } catch  where answer.source == .paste && error.code == .grantRejected {
            // A mangled paste spent nothing: the real code is still good, so the user may
            // paste again, as after a paste with a wrong `state`.
            return await refuse(.codeRejected(error.message), answer, onEvent: onEvent)
        } catch {
            outcome = .failure(error)
        }
        return settle(outcome, answer)
    }

    var startPage: StartPageContent {
        let config = configuration
        return StartPageContent(
            providerName: config.endpoints.providerName, clientID: config.clientID,
            domain: config.domainID ?? config.endpoints.base.host ?? "", scope: config.scope,
            provider: Redaction.url(config.endpoints.authorizeURL), redirectURI: redirect.uri,
            authorizeURL: authorizeURL, profileName: config.profileName)
    }

    /// RFC 6749 §4.1.2.1 error redirect. Both values are attacker-controllable text.
    /// `access_denied` is most often the user's own "Deny" (§4.1.2.1: "the resource owner or
    /// authorization server denied the request"), so it does not blame the provider.
    static func providerError(_ error: String, _ description: String?) -> PDSAuthError {
        let code = Redaction.terminalSafe(error, limit: 80)
        let detail = description.map { ": " + Redaction.terminalSafe($0, limit: 300) } ?? ""
        let what = error == "access_denied" ? "The authorization was denied at the consent page" : "The provider refused the authorization"
        return PDSAuthError(.authorizationDenied, "\(what) (\(code)\(detail)); nothing was saved", providerError: code)
    }
}
