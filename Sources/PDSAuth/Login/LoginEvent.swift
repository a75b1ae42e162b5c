import FoundationEssentials

/// Progress a front end narrates while `LoginFlow` runs.
///
/// The flow waits for each event's handler before it goes on: a handler must not wait for
/// the sign-in itself (open a browser, do not wait for it to come back).
public enum LoginEvent: Sendable {
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
    /// A pasted code (or address) the token endpoint did not accept as a grant: cut short,
    /// mistyped or already used. Typing is error-prone, so the wait goes on; a browser
    /// redirect carrying this sign-in's `state` still ends it either way.
    case codeRejected(String)
    /// This sign-in's `state`, but no `iss` where the issuer's metadata says its redirects
    /// carry one (RFC 9207); also a bare pasted code then, which has no `iss` to check.
    case issuerMissing
    /// This sign-in's `state` with an `iss` naming another issuer: a mix-up attack (RFC 9207,
    /// RFC 9700 §4.4), or a redirect from a server the user was not meant to reach.
    case issuerMismatch
}
