import FoundationEssentials

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
        let client = TokenClient(http: CurlClient(options: config.transport), tokenURL: config.endpoints.tokenURL,
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
