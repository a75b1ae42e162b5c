import FoundationEssentials

/// Everything one browser sign-in needs, already validated.
public struct LoginConfiguration: Sendable {
    public var endpoints: ProviderEndpoints
    /// Sent as `domain_id` on the authorize and token requests when set (PDS, 2026 API).
    public var domainID: String?
    public var clientID: String
    public var clientSecret: String?
    /// The redirect URIs registered on the app, in order of preference: the listener takes
    /// the first whose port is free.
    public var redirects: [RedirectTarget]
    public var scope: String?
    /// PDS's `login_type`; nil sends none (generic providers, unless asked).
    public var loginType: String?
    public var usePKCE: Bool
    public var profileName: String
    public var store: CredentialStore
    /// Where the profile's secrets go (`--store`, `PDS_AUTH_STORE`, else where they are now).
    public var secretStore: SecretStoreChoice
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

    public init(endpoints: ProviderEndpoints, domainID: String?, clientID: String, clientSecret: String?,
                redirects: [RedirectTarget], scope: String?, loginType: String?, usePKCE: Bool = true,
                profileName: String, store: CredentialStore, transport: TransportOptions = TransportOptions(),
                timeout: Duration = .seconds(600), rememberedCABundle: String? = nil, secretStore: SecretStoreChoice = .unspecified) {
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
    func save(_ response: TokenResponse, grant: StoredProfile.Grant, redirectURI: String?, receivedAt: Date) async throws(PDSAuthError) -> LoginResult {
        var profile = StoredProfile(grant: grant, endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: clientSecret,
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
