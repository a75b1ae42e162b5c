import FoundationEssentials
import Logging

/// A whole browser sign-in, for programs: checks the credentials file can be used, binds
/// the loopback listener (the first free redirect URI), runs the `LoginFlow` for the port it
/// got with the listener's requests, pasted lines and the deadline as its answers, and stops
/// the listener when the flow has decided. Structured: every task it starts ends before
/// `withListener` returns.
///
/// ```swift
/// let result = try await BrowserSignIn(configuration: configuration).withListener { session in
///     await open(session.startURL)      // the browser; do not wait for the sign-in here
///     return try await session.result   // the saved profile, or why there is none
/// }
/// ```
public struct BrowserSignIn: Sendable {
    /// What to sign in to, and where to save the result.
    public var configuration: LoginConfiguration
    /// The loopback listener's bounds (connections, header sizes, deadlines).
    package var limits: ListenerLimits
    /// Where the listener logs (never a secret: no code, state or token).
    package var logger: Logger

    /// A sign-in with `configuration`; nothing listens until `withListener` runs.
    public init(configuration: LoginConfiguration) {
        self.init(configuration: configuration, limits: .standard)
    }

    /// A sign-in with the listener's bounds and logger chosen (the command line and tests).
    package init(configuration: LoginConfiguration, limits: ListenerLimits, logger: Logger = Logger(label: "pds-auth")) {
        self.configuration = configuration
        self.limits = limits
        self.logger = logger
    }

    /// A sign-in whose listener is up: where to send the browser, and its outcome.
    public struct Session: Sendable {
        /// The start page with this run's key: give it to the user's browser (and to no
        /// command line: see `RedirectFile`).
        public let startURL: String
        /// The provider's authorize URL, for a browser on another machine (paste-back).
        public let authorizeURL: URL
        /// The redirect URI the provider will send the browser to, its port resolved.
        public let redirectURI: String
        /// Things the user should know about the listener (only 127.0.0.1 without IPv6).
        public let notes: [String]
        private let outcome: Outcome

        init(startURL: String, authorizeURL: URL, redirectURI: String, notes: [String], outcome: Outcome) {
            self.startURL = startURL
            self.authorizeURL = authorizeURL
            self.redirectURI = redirectURI
            self.notes = notes
            self.outcome = outcome
        }

        /// Waits for the sign-in to end: the saved profile, or the error that ended it.
        public var result: LoginResult {
            get async throws(PDSAuthError) { try await outcome.value.get() }
        }
    }

    /// Binds the listener, then runs `body` with the session while the flow answers the
    /// browser, the pasted lines (`pastes`) and the deadline; returns what `body` returns,
    /// once the listener has stopped. `onEvent` narrates refusals and the exchange.
    ///
    /// - Throws: a `PDSAuthError` (the listener could not start; `session.result`'s), or
    ///   whatever `body` throws.
    public func withListener<T: Sendable>(
        pastes: AsyncStream<String>? = nil,
        onEvent: @escaping @Sendable (LoginEvent) async -> Void = { _ in },
        _ body: (Session) async throws -> T
    ) async throws -> T {
        // A file this version cannot use would only fail after the user approved: check first.
        _ = try configuration.store.load()
        let answers = LoginAnswers()
        let pages = try LoginPages()
        let binding = try await ListenerBinding.bind(configuration.redirects, answers: answers, pages: pages, logger: logger, limits: limits)
        let flow = LoginFlow(configuration: configuration, redirect: binding.target, answers: answers)
        let outcome = Outcome()
        let session = Session(
            startURL: flow.startURL, authorizeURL: flow.authorizeURL, redirectURI: flow.redirect.uri,
            notes: binding.notes, outcome: outcome)
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { outcome.set(await Result { () async throws(PDSAuthError) in try await flow.run(onEvent: onEvent) }) }
            if let pastes {
                group.addTask { for await line in pastes { answers.post(.pasted(line)) } }
            }
            let result: Result<T, any Error>
            do { result = .success(try await body(session)) } catch { result = .failure(error) }
            // The flow has decided (or `body` gave up): nothing else is waited for.
            group.cancelAll()
            return result
        }
        await binding.stop()
        return try result.get()
    }

    /// The flow's outcome, set once, awaited by any number of callers.
    final class Outcome: Sendable {
        private let state = LockedValue<
            (value: Result<LoginResult, PDSAuthError>?, waiting: [CheckedContinuation<Result<LoginResult, PDSAuthError>, Never>])
        >((nil, []))

        func set(_ value: Result<LoginResult, PDSAuthError>) {
            let waiting = state.update { state in
                defer { state = (value, []) }
                return state.waiting
            }
            for continuation in waiting { continuation.resume(returning: value) }
        }

        var value: Result<LoginResult, PDSAuthError> {
            get async {
                await withCheckedContinuation { continuation in
                    let ready = state.update { state -> Result<LoginResult, PDSAuthError>? in
                        if let value = state.value { return value }
                        state.waiting.append(continuation)
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            }
        }
    }
}

extension Result where Failure == PDSAuthError {
    /// The result of `body`, thrown or returned.
    init(_ body: () async throws(PDSAuthError) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
