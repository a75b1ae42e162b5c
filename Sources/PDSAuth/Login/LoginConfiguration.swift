import FoundationEssentials

/// Everything one browser sign-in needs, already validated.
public struct LoginConfiguration: Sendable {
    /// The provider: where the browser is sent and the code exchanged.
    public var endpoints: ProviderEndpoints
    /// Sent as `domain_id` on the authorize and token requests when set (PDS, 2026 API).
    public var domainID: String?
    /// The app's client id (`client_id`, RFC 6749 §4.1.1).
    public var clientID: String
    /// The app's secret, for confidential clients (PDS WebServer apps); nil for public ones.
    public var clientSecret: String?
    /// The redirect URIs registered on the app, in order of preference: the listener takes
    /// the first whose port is free.
    public var redirects: [RedirectTarget]
    /// The `scope` requested; nil asks for the app's default.
    public var scope: String?
    /// PDS's `login_type`; nil sends none (generic providers, unless asked).
    public var loginType: String?
    /// Send a PKCE S256 challenge (RFC 7636); on unless a provider cannot take it.
    public var usePKCE: Bool
    /// The profile the session is saved as (it becomes the current one).
    public var profileName: String
    /// Where the profile is saved once the exchange succeeded.
    public var store: CredentialStore
    /// Where the profile's secrets go (`--store`, `PDS_AUTH_STORE`, else where they are now).
    public var secretStore: SecretStoreChoice
    /// Timeouts, trust and proxies for the token request.
    public var transport: TransportOptions
    /// How long to wait for the browser before giving up.
    public var timeout: Duration
    /// A CA bundle the user named explicitly (`--cacert`), remembered for refreshes; one
    /// that came from the environment is not, so it is read afresh each time.
    public var rememberedCABundle: String?
    /// A public client (no secret), remembered in the profile so the next sign-in of it
    /// does not ask for one.
    public var publicClient = false
    /// The dev server's state directory, for a sign-in against it (remembered in the profile).
    public var devServer: String?
    /// How the code is exchanged for tokens: libcurl, unless a test hands in its own.
    package var exchange: TokenExchange = .curl

    /// A browser sign-in of `clientID` at `endpoints`, saved as `profileName` in `store`.
    public init(
        endpoints: ProviderEndpoints, domainID: String?, clientID: String, clientSecret: String?,
        redirects: [RedirectTarget], scope: String?, loginType: String?, usePKCE: Bool = true,
        profileName: String, store: CredentialStore, transport: TransportOptions = TransportOptions(),
        timeout: Duration = .seconds(600), rememberedCABundle: String? = nil, secretStore: SecretStoreChoice = .unspecified
    ) {
        self.endpoints = endpoints
        self.domainID = domainID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirects = redirects
        self.scope = scope
        self.loginType = loginType
        self.usePKCE = usePKCE
        self.profileName = profileName
        self.store = store
        self.transport = transport
        self.timeout = timeout
        self.rememberedCABundle = rememberedCABundle
        self.secretStore = secretStore
    }
}

extension LoginConfiguration {
    /// The profile a sign-in made (browser or device), saved under `profileName` and made
    /// current. Called only once the token endpoint has answered: nothing is written before.
    func save(_ response: TokenResponse, grant: StoredProfile.Grant, redirectURI: String?, receivedAt: Date) async throws(PDSAuthError) -> LoginResult
    {
        var profile = StoredProfile(
            grant: grant, endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: clientSecret,
            redirectURI: redirectURI, scope: scope, caBundlePath: rememberedCABundle, accessToken: response.accessToken,
            refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil)
        profile.apply(response, receivedAt: receivedAt)
        profile.user = StoredUser(response)
        if publicClient { profile.publicClient = true }
        profile.devServer = devServer
        profile.secretStore = try await store.save(profile, as: profileName, makeCurrent: true, secretStore: secretStore)
        return LoginResult(profileName: profileName, profile: profile, credentialsPath: store.filePath)
    }
}
