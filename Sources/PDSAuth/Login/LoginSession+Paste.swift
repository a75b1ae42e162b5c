/// Paste-back: the redirect (or its code) typed into the terminal when the browser cannot
/// reach this machine's loopback listener. It competes with the listener for the same
/// single-use `state`; the first valid answer wins.
extension LoginSession {
    /// What the terminal should say after one paste.
    public enum PasteReply: Sendable, Equatable {
        /// The sign-in ended (its result is on `outcome`).
        case settled
        /// This paste was not used; the sign-in keeps waiting. The text says why.
        case rejected(String)
    }

    public func handlePaste(_ answer: PastedAnswer) async -> PasteReply {
        switch answer {
        case .code(let code):
            guard stateGuard.consumeWithoutState() == .accepted else { return .rejected(Self.alreadySettled) }
            _ = await settle(CallbackParameters(code: code))
            return .settled
        case .redirect(let parameters):
            if parameters.state == nil, let error = parameters.error {
                finish(.failure(Self.providerError(error, parameters.errorDescription)))
                return .settled
            }
            switch stateGuard.consume(parameters.state) {
            case .accepted:
                _ = await settle(parameters)
                return .settled
            case .missing:
                return .rejected("That address has no state parameter. Paste the whole address from the browser's address bar, or only the code.")
            case .mismatch:
                // Unlike a browser redirect, a mismatch here is the user's own mistake (an old
                // tab), so the sign-in goes on rather than failing.
                return .rejected("That address belongs to another sign-in (its state does not match). Open the link printed above and paste the address it ends on.")
            case .alreadyUsed:
                return .rejected(Self.alreadySettled)
            }
        }
    }

    static let alreadySettled = "This sign-in has already received its answer."
}
