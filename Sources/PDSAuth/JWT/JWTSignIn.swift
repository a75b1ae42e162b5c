import FoundationEssentials

/// Signs in a JWT app without a browser (RFC 7523; PDS JWT apps): sign an assertion, trade
/// it at the token endpoint, save the profile. Nothing is written unless the token endpoint
/// answered with a valid token.
public struct JWTSignIn: Sendable {
    /// The provider; the assertion is sent to its token endpoint.
    public var endpoints: ProviderEndpoints
    /// The PDS domain: the assertion's audience (`aud`) and the token request's `domain_id`.
    public var domainID: String
    /// The JWT app's id: the assertion's issuer (`iss`).
    public var clientID: String
    /// The private key, subject and lifetimes the assertion is made from (kept in the profile
    /// so that renewals sign new ones).
    public var settings: JWTSettings
    /// The profile the session is saved as (it becomes the current one).
    public var profileName: String
    /// Where the profile is saved.
    public var store: CredentialStore
    /// Timeouts, trust and proxies for the token request.
    public var transport: TransportOptions
    /// A CA bundle named explicitly (`--cacert`), kept in the profile for renewals.
    public var rememberedCABundle: String?
    /// Where the profile's secrets go (`--store`, `PDS_AUTH_STORE`, else where they are now).
    public var secretStore: SecretStoreChoice

    /// A sign-in of JWT app `clientID` in `domainID`, saved as `profileName` in `store`.
    public init(endpoints: ProviderEndpoints, domainID: String, clientID: String, settings: JWTSettings, profileName: String,
                store: CredentialStore, transport: TransportOptions = TransportOptions(), rememberedCABundle: String? = nil,
                secretStore: SecretStoreChoice = .unspecified) {
        self.endpoints = endpoints
        self.domainID = domainID
        self.clientID = clientID
        self.settings = settings
        self.profileName = profileName
        self.store = store
        self.transport = transport
        self.rememberedCABundle = rememberedCABundle
        self.secretStore = secretStore
    }

    /// Signs an assertion, trades it at the token endpoint (RFC 7523 §2.1) and saves the
    /// profile; nothing is written when any step fails.
    public func run() async throws(PDSAuthError) -> LoginResult {
        _ = try store.load()
        let receivedAt = Date()
        let assertion = try await JWTAssertion.sign(settings: settings, clientID: clientID, audience: domainID, now: receivedAt)
        let client = TokenClient(http: CurlClient(options: transport), tokenURL: endpoints.tokenURL, clientID: clientID,
                                 clientSecret: nil, domainID: domainID)
        let response = try await client.request(.jwtBearer(assertion: assertion))
        var profile = StoredProfile(grant: .jwtBearer, endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: nil,
                                    redirectURI: nil, scope: nil, caBundlePath: rememberedCABundle, accessToken: response.accessToken,
                                    refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil, jwt: settings)
        profile.apply(response, receivedAt: receivedAt)
        profile.secretStore = try await store.save(profile, as: profileName, makeCurrent: true, secretStore: secretStore)
        return LoginResult(profileName: profileName, profile: profile, credentialsPath: store.filePath)
    }
}
