import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The authorization-code round trip (RFC 6749 §4.1 with RFC 7636 PKCE and RFC 8252
/// loopback redirects): listen on the redirect URI, send the browser to the provider,
/// take the first valid redirect, exchange its code through libcurl, save, show the result.
/// Nothing is written unless the exchange succeeded.
public struct LoginFlow: Sendable {
    public var configuration: LoginConfiguration
    public var logger: Logger

    public init(configuration: LoginConfiguration, logger: Logger = Logger(label: "pds-auth")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// - Parameter pastes: lines typed into the terminal (paste-back), served alongside the
    ///   listener; nil when the terminal does not offer it.
    public func run(pastes: AsyncStream<String>? = nil,
                    onEvent: @escaping @Sendable (LoginEvent) async -> Void = { _ in }) async throws(PDSAuthError) -> LoginResult {
        let config = configuration
        let pages = try PageRenderer()
        let state = SecureRandom.token(bytes: 32)
        let pkce = config.usePKCE ? PKCE() : nil
        let redirectURI = LockedValue(config.redirect.uri)
        let exchanging = LockedValue(false)
        let session = LoginSession(expectedState: state, pages: pages) { code in
            exchanging.set(true)
            defer { exchanging.set(false) }
            await onEvent(.exchanging)
            return await Self.exchange(code: code, redirectURI: redirectURI.value, verifier: pkce?.verifier, config: config)
        }
        let listener = try await ListenerBinding.bind([config.redirect] + config.fallbackRedirects, session: session,
                                                      pages: pages, logger: logger)
        redirectURI.set(Self.redirectURI(listener.target))
        let request = AuthorizationRequest(clientID: config.clientID, redirectURI: redirectURI.value, scope: config.scope,
                                           loginType: config.loginType, state: state, pkce: pkce)
        let authorizeURL = request.url(endpoint: config.endpoints.authorizeURL)
        session.setStartPage(StartPage.render(config, authorizeURL: authorizeURL, redirectURI: redirectURI.value, pages: pages))
        await onEvent(.listening(startURL: listener.target.startPageURL, authorizeURL: authorizeURL, redirectURI: redirectURI.value))

        let outcome = await Self.firstOutcome(session, timeout: config.timeout, exchanging: exchanging) {
            guard let pastes else { return }
            await Self.serve(pastes, to: session, onEvent: onEvent)
        }
        await listener.stop()
        switch outcome {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    /// Feeds pasted lines to the session until one settles the sign-in (or input ends).
    static func serve(_ pastes: AsyncStream<String>, to session: LoginSession,
                      onEvent: @Sendable (LoginEvent) async -> Void) async {
        for await line in pastes {
            guard !line.trimmed().isEmpty else { continue }
            guard let answer = PastedAnswer.parse(line) else {
                await onEvent(.pasteRejected("That is neither the address the browser ended on nor a code. Paste the whole address from the address bar, or only the code."))
                continue
            }
            switch await session.handlePaste(answer) {
            case .settled: return
            case .rejected(let why): await onEvent(.pasteRejected(why))
            }
        }
    }

    /// The session's outcome, a timeout, or cancellation (Ctrl-C), whichever comes first;
    /// `alongside` (paste-back) runs meanwhile and settles through the session. A timeout
    /// that fires mid-exchange waits for the exchange: its result is already on disk.
    static func firstOutcome(_ session: LoginSession, timeout: Duration, exchanging: LockedValue<Bool>,
                             alongside: @escaping @Sendable () async -> Void = {}) async -> Result<LoginResult, PDSAuthError> {
        let first: Result<LoginResult, PDSAuthError>? = await withTaskGroup(of: Result<LoginResult, PDSAuthError>?.self) { group in
            group.addTask {
                for await result in session.outcome { return result }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                while exchanging.value, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                return Task.isCancelled ? nil : .failure(Self.timedOut(timeout))
            }
            group.addTask {
                await alongside()
                return nil
            }
            // Paste-back ending (settled, or end of input) is not an outcome: keep waiting.
            var first: Result<LoginResult, PDSAuthError>?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first
        }
        return first ?? .failure(PDSAuthError(.interrupted, code: "interrupted", "Sign-in interrupted; nothing was saved"))
    }

    static func timedOut(_ timeout: Duration) -> PDSAuthError {
        PDSAuthError(.timedOut, code: "timeout", "No sign-in arrived within \(timeout.components.seconds) s; nothing was saved",
                     hint: "Run `pds-auth login` again (use --timeout to wait longer).")
    }

    /// The redirect URI as sent: unchanged, except that port 0 becomes the port we bound.
    static func redirectURI(_ bound: RedirectTarget) -> String {
        guard var components = URLComponents(string: bound.uri), components.port == 0 else { return bound.uri }
        components.port = bound.port
        return components.string ?? bound.uri
    }

    /// Code → tokens → saved profile. Runs inside the callback request.
    static func exchange(code: String, redirectURI: String, verifier: String?, config: LoginConfiguration) async -> Result<LoginResult, PDSAuthError> {
        do {
            let client = TokenClient(http: CurlClient(options: config.transport), tokenURL: config.endpoints.tokenURL,
                                     clientID: config.clientID, clientSecret: config.clientSecret)
            let receivedAt = Date()
            let response = try await client.request(.authorizationCode(code: code, redirectURI: redirectURI, codeVerifier: verifier))
            let profile = StoredProfile(authorizationCode: response, receivedAt: receivedAt, config: config, redirectURI: redirectURI)
            try await config.store.save(profile, as: config.profileName)
            return .success(LoginResult(profileName: config.profileName, profile: profile, credentialsPath: config.store.filePath))
        } catch {
            return .failure(error)
        }
    }
}
