import Hummingbird
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
    let state: DevServerState
    let logger: Logger
    /// The state directory's file, held (and locked) while the server exists.
    let stateFile: DevServerStateFile?

    /// Starts making the server's RSA keys on a thread of their own and returns without
    /// waiting for them: the server answers at once, and only what needs a key (issuing
    /// access tokens, the JWKS, checking access tokens and assertions signed with the
    /// generated key, ``generatedJWTPrivateKeyPEM``) waits for them.
    ///
    /// - Throws: ``DevServerError`` when the configuration is invalid (for example a
    ///   non-loopback host or an unusable JWT public key). A key that cannot be made is not
    ///   thrown here: the requests that need it are refused with a 500 `InternalError`.
    public convenience init(configuration: DevServerConfiguration, logger: Logger = Logger(label: "pds-dev-server")) throws(DevServerError) {
        try self.init(configuration: configuration, logger: logger, keys: DevServerKeys.generate, clock: .system)
    }

    /// With `keys` (tests reuse keys to skip RSA generation) and a `clock` tests can move.
    convenience init(configuration: DevServerConfiguration, logger: Logger, keys given: DevServerKeys, clock: DevServerClock) throws(DevServerError) {
        try self.init(configuration: configuration, logger: logger, keys: { _ in given }, clock: clock)
    }

    /// With a key `source` (tests: keys made once, a source that waits or fails).
    init(
        configuration given: DevServerConfiguration, logger: Logger, keys given_source: @escaping DevServerKeys.Source, clock: DevServerClock
    ) throws(DevServerError) {
        try given.validate()
        let stateFile = try given.stateDirectory.map { directory throws(DevServerError) in try DevServerStateFile(directory: directory) }
        let configuration = Self.keepingSecrets(given, in: stateFile)
        let source = stateFile.map { Self.keys(from: $0, else: given_source) } ?? given_source
        let generatedKeyApps = Set(configuration.apps.filter { $0.usesJWTBearer && $0.jwtPublicKeyPEM == nil }.map(\.clientID))
        let registeredAppKeys = try Self.registeredAssertionKeys(configuration.apps)
        let pages = try PageRenderer.devServer()
        let generation = KeyGeneration(needsJWTAppKey: !generatedKeyApps.isEmpty, source: source, logger: logger)
        let faults = DevServerFaults()
        self.configuration = configuration
        self.faults = faults
        self.logger = logger
        self.stateFile = stateFile
        self.state = DevServerState(
            configuration: configuration,
            apps: Dictionary(uniqueKeysWithValues: configuration.apps.map { ($0.clientID, $0) }),
            users: UserDirectory(configuration.users), pending: PendingAuthorizations(), codes: AuthorizationCodes(),
            refreshTokens: Self.refreshTokens(kept: stateFile), accessTokens: Self.accessTokens(kept: stateFile),
            seenAssertions: SeenAssertionIDs(),
            statistics: StatisticsRecorder(),
            faults: faults,
            keys: KeyCollections(generation: generation, registeredAppKeys: registeredAppKeys, generatedKeyApps: generatedKeyApps),
            pages: pages, markers: ListMarkers(),
            issuer: IssuerURL(Self.baseURL(host: configuration.host, port: configuration.port)),
            clock: clock, logger: logger)
    }

    /// The PEM (PKCS#8) of the private key generated for JWT apps registered without a
    /// public key, so `pds-auth jwt` can sign assertions; nil when every JWT app brought
    /// its own key. Waits for the key if it is still being made.
    ///
    /// - Throws: ``DevServerError/keyGenerationFailed(_:)`` when the key could not be made.
    public var generatedJWTPrivateKeyPEM: String? {
        get async throws(DevServerError) {
            guard configuration.apps.contains(where: { $0.usesJWTBearer && $0.jwtPublicKeyPEM == nil }) else { return nil }
            return try await state.keys.generation.keys().get().jwtApp?.pemRepresentation
        }
    }

    /// The public key each JWT app registered, by client id; apps without one use the
    /// generated key pair.
    private static func registeredAssertionKeys(_ apps: [DevApp]) throws(DevServerError) -> [String: RSAPublicKey] {
        var keys: [String: RSAPublicKey] = [:]
        for app in apps where app.usesJWTBearer {
            guard let pem = app.jwtPublicKeyPEM else { continue }
            do {
                keys[app.clientID] = try RSAPublicKey(pem: pem)
            } catch {
                throw .invalidJWTPublicKey(clientID: app.clientID, reason: "not an RSA public key PEM of 2048 bits or more (\(error))")
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

    /// The router's responder, for in-process tests (HummingbirdTesting's `.router`).
    var responder: RouterResponder<DevServerRequestContext> {
        router.buildResponder()
    }

    /// Refresh tokens and revoked grants, from and into the state directory if there is one.
    private static func refreshTokens(kept file: DevServerStateFile?) -> RefreshTokens {
        guard let file else { return RefreshTokens() }
        let journal: @Sendable (RefreshTokens.Snapshot) -> Void = { snapshot in file.update { $0.refreshTokens = snapshot } }
        return RefreshTokens(file.current.refreshTokens, journal: journal)
    }

    /// The access tokens issued and not yet expired, likewise.
    private static func accessTokens(kept file: DevServerStateFile?) -> IssuedAccessTokens {
        guard let file else { return IssuedAccessTokens() }
        let journal: @Sendable ([String: IssuedAccessTokens.Record]) -> Void = { issued in file.update { $0.accessTokens = issued } }
        return IssuedAccessTokens(file.current.accessTokens, journal: journal)
    }

    /// The apps' client secrets as a state directory remembers them (so a restarted server
    /// accepts the secret it printed before); secrets it does not know yet are remembered.
    private static func keepingSecrets(_ configuration: DevServerConfiguration, in file: DevServerStateFile?) -> DevServerConfiguration {
        guard let file else { return configuration }
        var kept = configuration
        let remembered = file.current.clientSecrets
        for index in kept.apps.indices where kept.apps[index].clientSecret != nil {
            kept.apps[index].clientSecret = remembered[kept.apps[index].clientID] ?? kept.apps[index].clientSecret
        }
        let secrets = Dictionary(uniqueKeysWithValues: kept.apps.compactMap { app in app.clientSecret.map { (app.clientID, $0) } })
        file.update { $0.clientSecrets = secrets }
        return kept
    }

    /// The keys a state directory holds, or new ones from `source`, then remembered.
    private static func keys(from file: DevServerStateFile, else source: @escaping DevServerKeys.Source) -> DevServerKeys.Source {
        { needsJWTAppKey throws(DevServerError) in
            let saved = file.current
            if let signingPEM = saved.signingKeyPEM, let signing = try? RSAPrivateKey(pem: signingPEM),
                !needsJWTAppKey || saved.jwtAppKeyPEM != nil
            {
                let jwtApp = try saved.jwtAppKeyPEM.map { pem throws(DevServerError) in
                    do { return try RSAPrivateKey(pem: pem) } catch {
                        throw .stateDirectoryUnusable(file.directory, "its JWT app key does not parse")
                    }
                }
                return DevServerKeys(signing: signing, jwtApp: jwtApp)
            }
            // Fresh keys for this directory alone, not the process's shared ones: they are
            // written down, and another server of this process must not sign with them.
            let fresh = DevServerKeys(signing: try DevServerKeys.newKey(), jwtApp: needsJWTAppKey ? try DevServerKeys.newKey() : nil)
            file.update { contents in
                contents.signingKeyPEM = fresh.signing.pemRepresentation
                contents.jwtAppKeyPEM = fresh.jwtApp?.pemRepresentation
            }
            return fresh
        }
    }

    /// The base URL of a dev server running with `stateDirectory` (it holds the directory's
    /// lock and recorded where it listens), so `login --dev` can sign in against it.
    public static func running(stateDirectory: String) -> String? {
        DevServerStateFile.runningServer(in: stateDirectory)?.baseURL
    }

    /// Tells `login --dev` that this server, listening at `baseURL`, serves its state
    /// directory (`pds-auth dev-server` does; a server inside `login --dev` does not, since it
    /// stops with that command). The note is removed when the server goes.
    public func advertise(baseURL: String) {
        stateFile?.recordListening(baseURL)
    }

    /// The client secret a server with `stateDirectory` keeps for `clientID`, if any.
    public static func keptClientSecret(stateDirectory: String, clientID: String) -> String? {
        DevServerStateFile.contents(of: stateDirectory)?.clientSecrets[clientID]
    }
}
