import PDSAuth

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
            terminal.must(terminal.yellow("Never enter a code that someone else sent you: whoever sent it would get your account (device-code phishing)."))
            let every = authorization.interval.components.seconds
            terminal.say(terminal.dim("Waiting for the approval (up to \(WaitingDisplay.remaining(.seconds(min(timeout, Int(authorization.expiresIn.components.seconds)))))), asking every \(every) s · Ctrl-C to cancel…"))
        case .slowedDown(let interval):
            terminal.say(terminal.dim("The provider asked pds-auth to slow down: asking every \(interval.components.seconds) s now."))
        case .approved:
            terminal.say(terminal.dim("Approved; saving the token…"))
        }
    }
}
