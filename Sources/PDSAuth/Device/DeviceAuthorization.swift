import FoundationEssentials

/// A device authorization response (RFC 8628 §3.2), validated before any of it reaches the
/// terminal or the poll loop: the user code is short printable ASCII (no escape sequences,
/// no line breaks), the verification URIs are `https` (plain `http` only on loopback), the
/// lifetime and interval are sane numbers. Anything else is an invalid response (exit 10).
package struct DeviceAuthorization: Sendable, Equatable {
    package var deviceCode: String
    package var userCode: String
    package var verificationURI: URL
    /// The URI with the user code in it, for a QR code (RFC 8628 §3.3.1).
    package var verificationURIComplete: URL?
    /// How long the codes live.
    package var expiresIn: Duration
    /// The wait between polls (RFC 8628 §3.2: 5 s when the server names none).
    package var interval: Duration

    package static let defaultInterval = Duration.seconds(5)
    /// Bounds on what a server may ask: codes live at most a day, polls come at least every
    /// ten minutes and at most once a second.
    package static let lifetimeRange = 1...86400
    package static let intervalRange = 1...600
    package static let maxUserCodeLength = 64
    package static let maxDocumentSize = 64 << 10

    package init(deviceCode: String, userCode: String, verificationURI: URL, verificationURIComplete: URL?, expiresIn: Duration, interval: Duration) {
        self.deviceCode = deviceCode
        self.userCode = userCode
        self.verificationURI = verificationURI
        self.verificationURIComplete = verificationURIComplete
        self.expiresIn = expiresIn
        self.interval = interval
    }

    package static func decode(_ body: Data, from host: String) throws(PDSAuthError) -> DeviceAuthorization {
        func invalid(_ problem: String) -> PDSAuthError {
            PDSAuthError(.invalidResponse, "The device authorization response from \(host) \(problem)")
        }
        guard body.count <= maxDocumentSize, let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else {
            throw invalid("is not a JSON object")
        }
        guard let deviceCode = object["device_code"]?.text, TokenResponse.isTokenText(deviceCode), deviceCode.utf8.count <= 1024 else {
            throw invalid("has no device_code of printable ASCII")
        }
        guard let userCode = object["user_code"]?.text, (1...maxUserCodeLength).contains(userCode.utf8.count),
            userCode.utf8.allSatisfy({ (0x21...0x7E).contains($0) || $0 == 0x20 }), !userCode.trimmed().isEmpty
        else {
            throw invalid("has no user_code a person can type (printable ASCII, at most \(maxUserCodeLength) characters)")
        }
        func uri(_ key: String) throws(PDSAuthError) -> URL? {
            guard let text = object[key]?.text else { return nil }
            do { return try ProviderEndpoints.checked(text, what: key) } catch {
                throw invalid("has a \(key) that is not an https URL (\(error.message))")
            }
        }
        guard let verification = try uri("verification_uri") else { throw invalid("has no verification_uri") }
        guard let lifetime = object["expires_in"]?.integer, lifetimeRange.contains(lifetime) else {
            throw invalid("has no expires_in between \(lifetimeRange.lowerBound) s and \(lifetimeRange.upperBound) s")
        }
        var interval = defaultInterval
        if let value = object["interval"] {
            guard let seconds = value.integer, intervalRange.contains(seconds) else {
                throw invalid("has an interval that is not \(intervalRange.lowerBound)–\(intervalRange.upperBound) seconds")
            }
            interval = .seconds(seconds)
        }
        return DeviceAuthorization(
            deviceCode: deviceCode, userCode: userCode, verificationURI: verification,
            verificationURIComplete: try uri("verification_uri_complete"), expiresIn: .seconds(lifetime), interval: interval)
    }
}

/// A whole device sign-in (RFC 8628), for programs: asks the provider's device authorization
/// endpoint for a code, hands it to the front end to show, polls the token endpoint as
/// `DevicePoller` does, and saves the profile like a browser sign-in. No listener, no
/// browser on this machine: the user approves on any device. Nothing is written unless a
/// token arrived.
package struct DeviceSignIn: Sendable {
    package enum Event: Sendable {
        /// Show the user where to go and what to enter.
        case code(DeviceAuthorization)
        /// The server said `slow_down`: polls now come this far apart.
        case slowedDown(Duration)
        /// Approved: the token arrived and is being saved.
        case approved
    }

    package var configuration: LoginConfiguration
    package var clock: DevicePoller.Clock

    package init(configuration: LoginConfiguration, clock: DevicePoller.Clock = .continuous()) {
        self.configuration = configuration
        self.clock = clock
    }

    package func run(onEvent: @escaping @Sendable (Event) async -> Void = { _ in }) async throws(PDSAuthError) -> LoginResult {
        let config = configuration
        // A file this version cannot use would only fail after the user approved: check first.
        _ = try config.store.load()
        guard let deviceURL = config.endpoints.deviceAuthorizationURL else {
            throw PDSAuthError(.noDeviceEndpoint, "\(config.endpoints.providerName) has no device authorization endpoint on record (RFC 8628)")
        }
        let client = TokenClient(
            http: CurlClient(options: config.transport), tokenURL: config.endpoints.tokenURL,
            clientID: config.clientID, clientSecret: config.clientSecret, domainID: config.domainID)
        let authorization = try await client.deviceAuthorization(at: deviceURL, scope: config.scope)
        await onEvent(.code(authorization))
        let poller = DevicePoller(authorization: authorization, timeout: config.timeout, clock: clock)
        let response = try await poller.run(onSlowDown: { await onEvent(.slowedDown($0)) }) { () async throws(PDSAuthError) -> DevicePollAnswer in
            try await client.poll(deviceCode: authorization.deviceCode)
        }
        await onEvent(.approved)
        return try await config.save(response, grant: .deviceCode, redirectURI: nil, receivedAt: Date())
    }
}
