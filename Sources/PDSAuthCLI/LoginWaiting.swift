import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The terminal side of `login` while it waits: where to sign in (and, for a browser on
/// another machine, the link to open there and the `ssh -L` command), the browser launch,
/// the live line, and paste-back.
struct LoginWaiting {
    let terminal: Terminal
    let environment: [String: String]
    let timeout: Int
    let paste: Bool
    let openBrowser: Bool

    func run(_ flow: LoginFlow) async throws(PDSAuthError) -> LoginResult {
        let display = WaitingDisplay(terminal: terminal, timeout: .seconds(timeout), paste: paste)
        let ticker = LockedValue<Task<Void, Never>?>(nil)
        defer {
            ticker.value?.cancel()
            display.end()
        }
        let redirect = flow.configuration.redirect
        return try await flow.run(pastes: paste ? Self.pasteLines(display) : nil) { event in
            switch event {
            case let .listening(startURL, authorizeURL, redirectURI):
                let served = (try? RedirectTarget(parsing: redirectURI)) ?? redirect
                await self.announce(startURL: startURL, authorizeURL: authorizeURL, redirect: served)
                display.begin()
                ticker.set(Task { await display.run() })
            case .pasteRejected(let why):
                display.note(terminal.red("✗ ") + why)
            case .exchanging:
                display.exchanging()
            }
        }
    }

    func announce(startURL: String, authorizeURL: URL, redirect: RedirectTarget) async {
        terminal.must("Open \(startURL) to sign in to Drive and Photo Service (waiting up to \(WaitingDisplay.remaining(.seconds(timeout))))…")
        if openBrowser, await BrowserLauncher(environment: environment).open(startURL) == false {
            terminal.say(terminal.dim("  (could not open a browser; open the address above yourself)"))
        }
        if paste {
            terminal.must("  Browser on another machine? Open this link there, then paste below the address it ends on (or just the code):")
            terminal.must("  \(authorizeURL.absoluteString)")
        }
        if let ssh = SSHTunnelHint.command(environment: environment, redirect: redirect) {
            terminal.say("  Over SSH, a browser on your own machine can reach this one once you run there:")
            terminal.say("    \(ssh)")
        }
    }

    /// Lines typed at the prompt; each one marks the prompt as answered.
    static func pasteLines(_ display: WaitingDisplay) -> AsyncStream<String> {
        let source = InputLines.stream()
        return AsyncStream { continuation in
            let task = Task {
                for await line in source {
                    display.inputReceived()
                    continuation.yield(line)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
