import Logging

/// A whole browser sign-in, for programs: checks the credentials file can be used, binds
/// the loopback listener (the first free redirect URI), builds the `LoginFlow` for the port
/// it got, feeds it the listener's requests and any pasted lines, and stops the listener
/// when the flow has decided.
public struct BrowserSignIn: Sendable {
    public var configuration: LoginConfiguration
    public var limits: ListenerLimits
    public var logger: Logger

    public init(configuration: LoginConfiguration, limits: ListenerLimits = .standard, logger: Logger = Logger(label: "pds-auth")) {
        self.configuration = configuration
        self.limits = limits
        self.logger = logger
    }

    /// - Parameters:
    ///   - pastes: lines typed at a paste prompt (paste-back), or nil.
    ///   - onEvent: progress to narrate; `.listening` says where to send the browser.
    public func run(pastes: AsyncStream<String>? = nil,
                    onEvent: @escaping @Sendable (LoginEvent) async -> Void = { _ in }) async throws(PDSAuthError) -> LoginResult {
        // A file this version cannot use would only fail after the user approved: check first.
        _ = try configuration.store.load()
        let answers = LoginAnswers()
        let pages = try LoginPages()
        let binding = try await ListenerBinding.bind(configuration.redirects, answers: answers, pages: pages, logger: logger, limits: limits)
        for note in binding.notes { await onEvent(.note(note)) }
        let flow = LoginFlow(configuration: configuration, redirect: binding.target, answers: answers)
        let pasting = pastes.map { lines in
            Task { for await line in lines { answers.post(.pasted(line)) } }
        }
        let outcome: Result<LoginResult, PDSAuthError>
        do throws(PDSAuthError) {
            outcome = .success(try await flow.run(onEvent: onEvent))
        } catch {
            outcome = .failure(error)
        }
        pasting?.cancel()
        await binding.stop()
        return try outcome.get()
    }
}
