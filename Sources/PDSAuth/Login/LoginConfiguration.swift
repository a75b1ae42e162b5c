/// Everything one `pds-auth login` needs, already validated.
public struct LoginConfiguration: Sendable {
    public var endpoints: ProviderEndpoints
    public var domainID: String?
    public var clientID: String
    public var clientSecret: String?
    public var redirect: RedirectTarget
    /// Further registered redirect URIs, tried in order when `redirect`'s port is busy.
    public var fallbackRedirects: [RedirectTarget] = []
    public var scope: String?
    public var loginType: String
    public var usePKCE: Bool
    public var profileName: String
    public var store: CredentialStore
    public var transport: TransportOptions
    /// How long to wait for the browser before giving up.
    public var timeout: Duration
    /// A CA bundle the user named explicitly (`--cacert`), remembered for refreshes; one
    /// that came from the environment is not, so it is read afresh each time.
    public var rememberedCABundle: String?

    public init(endpoints: ProviderEndpoints, domainID: String?, clientID: String, clientSecret: String?,
                redirect: RedirectTarget, scope: String?, loginType: String = "default", usePKCE: Bool = true,
                profileName: String, store: CredentialStore, transport: TransportOptions = TransportOptions(),
                timeout: Duration = .seconds(600), rememberedCABundle: String? = nil) {
        self.rememberedCABundle = rememberedCABundle
        self.endpoints = endpoints
        self.domainID = domainID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirect = redirect
        self.scope = scope
        self.loginType = loginType
        self.usePKCE = usePKCE
        self.profileName = profileName
        self.store = store
        self.transport = transport
        self.timeout = timeout
    }
}
