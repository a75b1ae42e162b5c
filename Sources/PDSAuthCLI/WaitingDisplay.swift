import PDSAuth
import Synchronization

/// What the terminal shows while `login` waits. On a terminal: one live line with what is
/// awaited and the time left, redrawn in place (and the paste prompt under it when
/// paste-back is on). Without one (a pipe, a log file): plain lines, one a minute.
final class WaitingDisplay: Sendable {
    private struct Screen {
        var shown = ""
        /// The prompt is on screen with the cursor on it (nothing typed has been submitted).
        var promptOpen = false
        var lastPlainMinute = -1
        var ended = false
    }

    private let terminal: Terminal
    private let deadline: ContinuousClock.Instant
    private let paste: Bool
    private let live: Bool
    private let screen = Mutex(Screen())

    static let prompt = "Paste the address (or the code): "

    init(terminal: Terminal, timeout: Duration, paste: Bool) {
        self.terminal = terminal
        self.deadline = .now + timeout
        self.paste = paste
        self.live = terminal.stderrIsTTY && !terminal.quiet
    }

    /// Shows the live line (and prompt); without a terminal, only the prompt when pasting.
    func begin() {
        screen.withLock { screen in
            if live {
                draw(&screen, fresh: true)
            } else {
                // The "Open …" line already said how long we wait; from here on a line a minute.
                screen.lastPlainMinute = Self.minutesLeft(deadline - .now)
                if paste { terminal.must(Self.prompt) }
            }
        }
    }

    /// Refreshes the live line when its text changed; a plain line each new minute.
    func tick() {
        screen.withLock { screen in
            guard !screen.ended else { return }
            if live { if !paste || screen.promptOpen { draw(&screen, fresh: false) } } else { plainLine(&screen) }
        }
    }

    /// A line was submitted at the prompt: the cursor left it.
    func inputReceived() {
        screen.withLock { $0.promptOpen = false }
    }

    /// A message for the user while waiting goes on (a refused paste), then the prompt again.
    func note(_ text: String) {
        screen.withLock { screen in
            clear(&screen)
            terminal.must(text)
            if live { draw(&screen, fresh: true) } else if paste { terminal.must(Self.prompt) }
        }
    }

    /// The code arrived: the wait is over, the exchange runs.
    func exchanging() {
        screen.withLock { screen in
            clear(&screen)
            screen.ended = true
            terminal.say(terminal.dim("Exchanging the authorization code for a token…"))
        }
    }

    /// Clears the live line (and prompt) before the result is printed.
    func end() {
        screen.withLock { screen in
            clear(&screen)
            screen.ended = true
        }
    }

    /// Ticks until cancelled.
    func run() async {
        while !Task.isCancelled {
            tick()
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    var statusText: String {
        let awaited = paste ? "the browser or a pasted address" : "the browser"
        return "Waiting for \(awaited) · \(Self.remaining(deadline - .now)) left · Ctrl-C to cancel"
    }

    /// Minutes while there are many, seconds at the end: the line changes rarely, so a
    /// redraw seldom lands while the user is typing.
    static func remaining(_ left: Duration) -> String {
        let seconds = max(0, Int(left.components.seconds))
        return seconds >= 90 ? "\((seconds + 59) / 60) min" : "\(seconds) s"
    }

    /// Whole minutes left, rounded up: a plain line appears as each minute runs out.
    static func minutesLeft(_ left: Duration) -> Int { (max(0, Int(left.components.seconds)) + 59) / 60 }

    private func draw(_ screen: inout Screen, fresh: Bool) {
        let text = terminal.dim(statusText)
        guard fresh || text != screen.shown, !screen.ended else { return }
        screen.shown = text
        if fresh {
            terminal.io.error("\r\u{1B}[2K" + text + (paste ? "\n" + Self.prompt : ""))
            screen.promptOpen = paste
        } else if paste {
            // Save the cursor (on the prompt, after anything typed), rewrite the line above,
            // restore: what the user is typing is left alone.
            terminal.io.error("\u{1B}7\u{1B}[1A\r\u{1B}[2K" + text + "\u{1B}8")
        } else {
            terminal.io.error("\r\u{1B}[2K" + text)
        }
    }

    private func clear(_ screen: inout Screen) {
        guard live, !screen.ended else { return }
        if !paste {
            terminal.io.error("\r\u{1B}[2K")
        } else if screen.promptOpen {
            terminal.io.error("\r\u{1B}[2K\u{1B}[1A\r\u{1B}[2K")
        }
        screen.promptOpen = false
        screen.shown = ""
    }

    private func plainLine(_ screen: inout Screen) {
        guard !terminal.quiet, !screen.ended else { return }
        let minute = Self.minutesLeft(deadline - .now)
        guard minute != screen.lastPlainMinute else { return }
        screen.lastPlainMinute = minute
        guard minute > 0 else { return }
        terminal.say("Still waiting for \(paste ? "the browser or a line on stdin" : "the browser") (\(Self.remaining(deadline - .now)) left)…")
    }
}

/// What `login --device` shows (RFC 8628 §3.3): where to go and the code to enter, the
/// address with the code in it as a QR code when stdout is a terminal, a warning against
/// entering a code someone else sent (device-code phishing), and progress while it polls.
/// Everything the server sent was validated (printable ASCII, https URLs) and is stripped of
/// control characters again here.
struct DeviceCodeDisplay: Sendable {
    let terminal: Terminal
    let providerName: String
    let timeout: Int
    let json: Bool

    func show(_ event: DeviceSignIn.Event) {
        switch event {
        case .code(let authorization):
            let uri = Redaction.terminalSafe(authorization.verificationURI.absoluteString, limit: 2048)
            let code = Redaction.terminalSafe(authorization.userCode, limit: DeviceAuthorization.maxUserCodeLength)
            terminal.must("To sign in to \(providerName), open \(uri) on any device and enter the code \(terminal.bold(code))")
            if let complete = authorization.verificationURIComplete {
                terminal.must("  or open \(Redaction.terminalSafe(complete.absoluteString, limit: 2048)) (the code is filled in)")
                // Up to version 15 (77 modules and the quiet zone: 81 columns); a longer address is only printed.
                if terminal.stdoutIsTTY, !json, let qr = QRCode(text: complete.absoluteString), qr.size + 4 <= 81 {
                    terminal.out(qr.terminalLines(colour: terminal.colour).joined(separator: "\n"))
                }
            }
            terminal.must(
                terminal.yellow("Never enter a code that someone else sent you: whoever sent it would get your account (device-code phishing)."))
            let every = authorization.interval.components.seconds
            terminal.say(
                terminal.dim(
                    "Waiting for the approval (up to \(WaitingDisplay.remaining(.seconds(min(timeout, Int(authorization.expiresIn.components.seconds)))))), asking every \(every) s · Ctrl-C to cancel…"
                ))
        case .slowedDown(let interval):
            terminal.say(terminal.dim("The provider asked pds-auth to slow down: asking every \(interval.components.seconds) s now."))
        case .approved:
            terminal.say(terminal.dim("Approved; saving the token…"))
        }
    }
}
