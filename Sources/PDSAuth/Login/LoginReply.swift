import FoundationEssentials

/// What `LoginFlow` decided about one answer from the browser: which page it gets. The
/// listener renders it (see `LoginPages`); the flow never builds HTML.
public enum LoginReply: Sendable {
    /// The start page: what is being authorized, and the link to the provider.
    case start(StartPageContent)
    /// The start page was asked for without this run's key: nothing is revealed.
    case startLocked
    /// The sign-in succeeded and was saved.
    case signedIn(LoginResult)
    /// The sign-in ended without a token (the provider refused, the exchange failed).
    case failed(PDSAuthError)
    /// The answer was not used; the sign-in keeps waiting.
    case refused(LoginRefusal)
    /// The sign-in is over; this answer came too late.
    case ended
}

/// What the start page shows: enough for the user to recognise the request.
public struct StartPageContent: Sendable, Equatable {
    public var providerName: String
    public var clientID: String
    public var domain: String
    public var scope: String?
    /// The provider's authorize endpoint, without a query.
    public var provider: String
    public var redirectURI: String
    public var authorizeURL: URL
    public var profileName: String
}
