import FoundationEssentials
import PDSAuth

/// The terminal side of `login` while it waits: where to sign in (and, for a browser on
/// another machine, the link to open there and the `ssh -L` command), the browser launch,
/// the live line, paste-back, and a note for each answer that was refused.
struct LoginWaiting {
    let terminal: Terminal
    let environment: [String: String]
    let timeout: Int
    let paste: Bool
    let openBrowser: Bool
    let providerName: String
    /// The provider has a device endpoint: when no browser opens, `--device` is worth a mention.
    var offersDevice = false

    func run(_ signIn: BrowserSignIn) async throws(PDSAuthError) -> LoginResult {
        let display = WaitingDisplay(terminal: terminal, timeout: .seconds(timeout), paste: paste)
        let notes = RefusalNotes()
        defer { display.end() }
        let pastes = paste ? InputLines.stream(descriptor: terminal.io.input, onLine: { display.inputReceived() }) : nil
        do {
            return try await listen(signIn, display: display, notes: notes, pastes: pastes)
        } catch let error as PDSAuthError {
            throw error
        } catch {
            throw PDSAuthError(.internal, "The sign-in failed unexpectedly: \(error)")
        }
    }

    private func listen(
        _ signIn: BrowserSignIn, display: WaitingDisplay, notes: RefusalNotes,
        pastes: AsyncStream<String>?
    ) async throws -> LoginResult {
        try await signIn.withListener(
            pastes: pastes,
            onEvent: { event in
                switch event {
                case let .refused(refusal, source):
                    if let text = notes.text(for: refusal, from: source) { display.note(terminal.red("✗ ") + text) }
                case .exchanging:
                    display.exchanging()
                }
            }
        ) { session in
            for note in session.notes { terminal.say(terminal.dim(note)) }
            let served = (try? RedirectTarget(parsing: session.redirectURI)) ?? signIn.configuration.redirects[0]
            let opened = await announce(startURL: session.startURL, authorizeURL: session.authorizeURL, redirect: served)
            defer { opened?.remove() }
            display.begin()
            // The live line ticks until the sign-in ends (leaving this scope cancels it).
            async let _ = display.run()
            return try await session.result
        }
    }

    /// Prints where to sign in and opens the browser (through a private redirect file, so the
    /// start page's key never appears on a command line). Returns the file, to remove later.
    func announce(startURL: String, authorizeURL: URL, redirect: RedirectTarget) async -> RedirectFile? {
        terminal.must("Open \(startURL) to sign in to \(providerName) (waiting up to \(WaitingDisplay.remaining(.seconds(timeout))))…")
        var file: RedirectFile?
        if openBrowser {
            file = (try? TemporaryRoot.choose(environment: environment) { terminal.warn($0) }).flatMap { RedirectFile(target: startURL, roots: $0) }
            let opened = if let file { await BrowserLauncher(environment: environment).open(file.fileURL) } else { false }
            if !opened {
                terminal.say(terminal.dim("  (could not open a browser; open the address above yourself)"))
                if offersDevice { terminal.say("  No browser here? `pds-auth login --device` signs in with a code entered on another device.") }
            }
        }
        if paste {
            terminal.must("  Browser on another machine? Open this link there, then paste below the address it ends on (or just the code):")
            terminal.must("  \(authorizeURL.absoluteString)")
        }
        if let ssh = SSHTunnelHint.command(environment: environment, redirect: redirect) {
            terminal.say("  Over SSH, a browser on your own machine can reach this one once you run there:")
            terminal.say("    \(ssh)")
        }
        return file
    }
}

/// The one-line notes for refused answers. A paste gets its note every time (the user is
/// typing); refused browser requests are noted at most once a second, with a count of the
/// ones in between, so a flood of forged redirects cannot flood the terminal.
final class RefusalNotes: Sendable {
    private struct State {
        var lastShown: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let state = LockedValue(State())

    func text(for refusal: LoginRefusal, from source: LoginAnswer.Source) -> String? {
        if source == .paste { return Self.pasteText(refusal) }
        let now = ContinuousClock.now
        let shown: Int? = state.update { state in
            if let last = state.lastShown, now - last < .seconds(1) {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.lastShown = now
            return state.suppressed
        }
        guard let earlier = shown else { return nil }
        let more = earlier > 0 ? " (and \(earlier) more since the last note)" : ""
        return "Ignored a browser request that is not this sign-in's redirect (\(Self.reason(refusal)))\(more); still waiting."
    }

    static func reason(_ refusal: LoginRefusal) -> String {
        switch refusal {
        case .stateMissing: "no state"
        case .stateMismatch: "wrong or stale state"
        case .unparsable: "not a redirect"
        case .codeRejected: "its code was not accepted"
        case .issuerMissing: "no iss from an issuer that sends one"
        case .issuerMismatch: "iss names another issuer: a possible mix-up attack"
        }
    }

    static func pasteText(_ refusal: LoginRefusal) -> String {
        switch refusal {
        case .stateMissing: "That address has no state parameter. Paste the whole address from the browser's address bar, or only the code."
        case .stateMismatch:
            "That address belongs to another sign-in (its state does not match). Open the link printed above and paste the address it ends on."
        case .unparsable:
            "That is neither the address the browser ended on nor a code. Paste the whole address from the address bar, or only the code."
        case .codeRejected(let reason):
            "The server did not accept that code (\(reason)); it may be cut short or mistyped. Paste the whole address again, or the code exactly as shown."
        case .issuerMissing:
            "This provider names itself (iss) in every redirect, and this answer does not. Paste the whole address the browser ended on, not only the code."
        case .issuerMismatch:
            "That address was sent by another server than this sign-in's provider (its iss does not match); it was ignored. Open the link printed above and paste the address it ends on."
        }
    }
}

/// What `login` and `jwt` print on success: a sentence on stderr, and with `--json` one
/// object on stdout (README "JSON output": `profile`, `credentials_path`, `user_id`,
/// `user_name`, `domain_id`, `default_drive_id`, `expires_at`, `token_type`, `access_token`,
/// the token masked unless `--show-token`).
struct LoginReport {
    let terminal: Terminal
    let showToken: Bool
    let json: Bool

    func printSuccess(_ result: LoginResult) {
        let profile = result.profile
        let user = profile.user
        if json { terminal.out(JSONOutput.text(Output(result, showToken: showToken), pretty: terminal.stdoutIsTTY)) }
        // A generic provider says nothing about the user: then no "as …" rather than a placeholder;
        // and a value the server sent empty (a service account's drive) is left out, not shown as "drive )".
        func shown(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : Redaction.terminalSafe($0, limit: 80) } }
        let who = shown(user?.displayName).map { " as \($0)" } ?? ""
        var facts: [String] = []
        if let id = shown(user?.userID) { facts.append("user_id \(id)") }
        if let domain = shown(user?.domainID) ?? shown(profile.domainID) { facts.append("domain \(domain)") }
        if let drive = shown(user?.defaultDriveID) { facts.append("drive \(drive)") }
        let expiry = profile.expiresAt.map { " Access token valid until \(ExpiryText.absolute($0))." } ?? ""
        let detail = facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))"
        terminal.say("\(terminal.green("✓")) Signed in\(who)\(detail).\(expiry)")
        let place = profile.secretStore == .secretService ? "; its secrets in the Secret Service" : ""
        terminal.say("  Saved to \(result.credentialsPath) (profile \"\(result.profileName)\", now the current profile\(place)).")
        if !json {
            terminal.say("  Access token: \(showToken ? profile.accessToken : Redaction.mask(profile.accessToken))")
        }
    }

    struct Output: Encodable {
        var profile: String
        var credentials_path: String
        var user_id: String?
        var user_name: String?
        var domain_id: String?
        var default_drive_id: String?
        var expires_at: Date?
        var token_type: String?
        var access_token: String
        /// Where the secrets are: `file` or `secret-service`.
        var store: String

        init(_ result: LoginResult, showToken: Bool) {
            let profile = result.profile
            self.profile = result.profileName
            credentials_path = result.credentialsPath
            user_id = profile.user?.userID
            user_name = profile.user?.userName
            domain_id = profile.user?.domainID ?? profile.domainID
            default_drive_id = profile.user?.defaultDriveID
            expires_at = profile.expiresAt
            token_type = profile.tokenType
            access_token = showToken ? profile.accessToken : Redaction.mask(profile.accessToken)
            store = profile.secretStore.rawValue
        }
    }
}
