import FoundationEssentials

/// Progress a front end narrates while `LoginFlow` runs.
public enum LoginEvent: Sendable {
    /// The listener is up: send the user to `startURL` (which carries this run's start-page
    /// key and links to `authorizeURL`). `authorizeURL` is for a browser on another machine
    /// (paste-back); `redirectURI` is the one the provider will send the browser to.
    case listening(startURL: String, authorizeURL: URL, redirectURI: String)
    /// An answer was refused and the sign-in keeps waiting.
    case refused(LoginRefusal, from: LoginAnswer.Source)
    /// A code arrived and is being exchanged at the token endpoint.
    case exchanging
}

/// Why an answer was not used. None of them ends the sign-in: only a redirect carrying this
/// sign-in's `state` (or a code typed into this process's terminal) does.
public enum LoginRefusal: Sendable, Equatable {
    /// A redirect without `state`: it cannot belong to this sign-in (a bare `error` too).
    case stateMissing
    /// A redirect whose `state` is another sign-in's (a stale tab) or forged.
    case stateMismatch
    /// A pasted line that is neither an address nor a code.
    case unparsable
}
