import Logging
import PDSShared

/// A PDS-compatible OAuth 2.0 authorization server for local development and tests of
/// `pds-auth`: the authorize page, the token endpoint with the authorization-code (RFC 6749
/// §4.1, PKCE RFC 7636), refresh-token and JWT-bearer (RFC 7523) grants, revocation, a
/// JWKS, and a few PDS resource APIs (user, drive and file lists) that take its access
/// tokens (RFC 6750), all answering in PDS's shapes (PDS Authorize, Token and resource
/// APIs) except the generic RFC 7009 revocation endpoint. Loopback only.
///
/// Holds only constants: the mutable state lives in actors.
public final class DevServer: Sendable {
    public let configuration: DevServerConfiguration
    /// Faults to inject into upcoming token requests.
    public let faults: DevServerFaults
    /// The PEM (PKCS#8) of the private key generated for JWT apps registered without a
    /// public key, so `pds-auth jwt` can sign assertions; nil when every JWT app brought
    /// its own key.
    public let generatedJWTPrivateKeyPEM: String?
    let state: DevServerState
    let logger: Logger

    /// - Throws: ``DevServerError`` when the configuration is invalid (for example a
    ///   non-loopback host) or a key cannot be made.
    public convenience init(configuration: DevServerConfiguration, logger: Logger = Logger(label: "pds-dev-server")) throws(DevServerError) {
        try self.init(configuration: configuration, logger: logger, keys: nil, clock: .system)
    }

    /// With `keys` (tests reuse keys to skip RSA generation) and a `clock` tests can move.
    init(configuration: DevServerConfiguration, logger: Logger, keys given: DevServerKeys?, clock: DevServerClock) throws(DevServerError) {
        try configuration.validate()
        let needsGeneratedKey = configuration.apps.contains { $0.usesJWTBearer && $0.jwtPublicKeyPEM == nil }
        var keys: DevServerKeys
        if let given {
            keys = given
        } else {
            keys = try DevServerKeys.generate(needsJWTAppKey: needsGeneratedKey)
        }
        if needsGeneratedKey, keys.jwtApp == nil { keys.jwtApp = try DevServerKeys.newKey() }
        let jwk: JSONWebKey
        do {
            jwk = try JSONWebKey(publicKey: keys.signing.publicKey)
        } catch {
            throw .keyGenerationFailed(String(describing: error))
        }
        let faults = DevServerFaults()
        self.configuration = configuration
        self.faults = faults
        self.generatedJWTPrivateKeyPEM = needsGeneratedKey ? keys.jwtApp?.pemRepresentation : nil
        self.logger = logger
        self.state = DevServerState(
            configuration: configuration,
            apps: Dictionary(uniqueKeysWithValues: configuration.apps.map { ($0.clientID, $0) }),
            users: UserDirectory(configuration.users), pending: PendingAuthorizations(), codes: AuthorizationCodes(),
            refreshTokens: RefreshTokens(), accessTokens: IssuedAccessTokens(), seenAssertions: SeenAssertionIDs(),
            statistics: StatisticsRecorder(),
            faults: faults,
            keys: KeyCollections(signingKey: keys.signing, signingKID: jwk.kid,
                                 appKeys: try Self.assertionKeys(configuration.apps, generated: keys.jwtApp)),
            jwks: JSONWebKeySet(keys: [jwk]), pages: try PageRenderer.devServer(), markers: ListMarkers(),
            issuer: IssuerURL(Self.baseURL(host: configuration.host, port: configuration.port)),
            clock: clock, logger: logger)
    }

    /// The public key of each JWT app: its own PEM, or the generated key's.
    private static func assertionKeys(_ apps: [DevApp], generated: RSAPrivateKey?) throws(DevServerError) -> [String: RSAPublicKey] {
        var keys: [String: RSAPublicKey] = [:]
        for app in apps where app.usesJWTBearer {
            if let pem = app.jwtPublicKeyPEM {
                do {
                    keys[app.clientID] = try RSAPublicKey(pem: pem)
                } catch {
                    throw .invalidJWTPublicKey(clientID: app.clientID, reason: "not an RSA public key PEM of 2048 bits or more (\(error))")
                }
            } else if let generated {
                keys[app.clientID] = generated.publicKey
            }
        }
        return keys
    }

    static func baseURL(host: String, port: Int) -> String {
        "http://\(LoopbackHost.urlHost(host)):\(port)"
    }

    /// What the token, revoke and resource endpoints have counted so far.
    public func statistics() async -> DevServerStatistics {
        await state.statistics.snapshot()
    }

    var responder: DevServerResponder {
        DevServerResponder(state: state)
    }
}
