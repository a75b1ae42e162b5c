import FoundationEssentials
import JWTKit
import PDSShared

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
    public init(
        endpoints: ProviderEndpoints, domainID: String, clientID: String, settings: JWTSettings, profileName: String,
        store: CredentialStore, transport: TransportOptions = TransportOptions(), rememberedCABundle: String? = nil,
        secretStore: SecretStoreChoice = .unspecified
    ) {
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
        let client = TokenClient(
            http: CurlClient(options: transport), tokenURL: endpoints.tokenURL, clientID: clientID,
            clientSecret: nil, domainID: domainID)
        let response = try await client.request(.jwtBearer(assertion: assertion))
        var profile = StoredProfile(
            grant: .jwtBearer, endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: nil,
            redirectURI: nil, scope: nil, caBundlePath: rememberedCABundle, accessToken: response.accessToken,
            refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil, jwt: settings)
        profile.apply(response, receivedAt: receivedAt)
        profile.secretStore = try await store.save(profile, as: profileName, makeCurrent: true, secretStore: secretStore)
        return LoginResult(profileName: profileName, profile: profile, credentialsPath: store.filePath)
    }
}

/// Builds and signs the RS256 assertion a JWT app trades at `POST /v2/oauth/token` with
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` (RFC 7523 §2.1, PDS JWT apps).
package enum JWTAssertion {
    /// The claims for `settings` at `now`: `exp` = now + lifetime, `iat`/`nbf` backdated by the
    /// clock-skew allowance so a server whose clock is behind still accepts them.
    package static func claims(settings: JWTSettings, clientID: String, audience: String, now: Date) -> AssertionClaims {
        let seconds = Int(now.timeIntervalSince1970)
        let lifetime = Int(clamping: settings.lifetime.components.seconds)
        let skew = Int(clamping: settings.clockSkew.components.seconds)
        return AssertionClaims(
            iss: clientID, sub: settings.subject, sub_type: settings.subjectType, aud: audience,
            jti: UUID().uuidString.lowercased(), exp: seconds + lifetime,
            iat: seconds - skew, nbf: seconds - skew,
            auto_create: settings.autoCreate ? true : nil)
    }

    /// Signs with the key file named in `settings` (read afresh each time: the profile stores
    /// only the path).
    package static func sign(settings: JWTSettings, clientID: String, audience: String, now: Date = Date()) async throws(PDSAuthError) -> String {
        let keyFile = try RSAKeyFile(path: settings.privateKeyPath)
        return try await sign(claims(settings: settings, clientID: clientID, audience: audience, now: now), key: keyFile.key)
    }

    package static func sign(_ claims: AssertionClaims, key: JWTKit.Insecure.RSA.PrivateKey) async throws(PDSAuthError) -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256)
        do {
            return try await keys.sign(claims)
        } catch {
            throw PDSAuthError(.jwtSigningFailed, "Signing the JWT assertion failed")
        }
    }
}

/// The claims of a PDS JWT-bearer assertion (PDS JWT apps; RFC 7523 §3). Time claims are
/// whole seconds since the epoch, as PDS requires — plain integers, not jwt-kit's `Date`
/// claims, so no fractional seconds can slip in.
package struct AssertionClaims: JWTPayload, Equatable {
    /// The app id (client id).
    package var iss: String
    /// A user id, or the domain id for a service account.
    package var sub: String
    /// `user` or `service`.
    package var sub_type: String
    /// The domain id.
    package var aud: String
    /// Unique per assertion (16–128 characters): a UUID.
    package var jti: String
    package var exp: Int
    package var iat: Int
    package var nbf: Int
    /// Present only when asked: create the user if missing.
    package var auto_create: Bool?

    /// Signing only: the server is the one that verifies.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The claims of a JWT access token, decoded for display only. The signature is NOT
/// verified (pds-auth does not hold the provider's keys and does not need to): nothing here
/// is trusted for a security decision except our own expiry bookkeeping fallback. Claims
/// nested deeper than `JSONValue.maxDepth` are no preview (nil): they could not be shown.
package struct JWTPreview: Sendable {
    /// Each claim as JSON (numbers stay numbers, nothing truncated).
    package var claims: [String: JSONValue]
    /// `exp`, when it is a time in the range a token lifetime can have.
    package var expiry: Date?

    package init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count < 64 * 1024, let payload = Base64URL.decode(parts[1]),
            let value = try? JSONDecoder().decode(JSONValue.self, from: payload), value.depth <= JSONValue.maxDepth,
            let claims = value.members
        else { return nil }
        self.claims = claims
        if case .integer(let exp)? = claims["exp"], exp > 0, exp < 253_402_300_800 {
            expiry = Date(timeIntervalSince1970: TimeInterval(exp))
        }
    }
}
