import FoundationEssentials
import HTTPTypes

/// Calls PDS APIs with a profile's access token (PDS API reference): the token comes from
/// the `TokenProvider` (refreshed under the lock when it nears expiry, like `pds-auth token`);
/// when the API answers 401 with an invalid- or expired-token code (`AccessTokenInvalid`,
/// `TokenExpired`, as the official SDKs match them), the token is renewed once and the call
/// sent once more, never more: one renewal per profile for the client's whole life (one
/// command, all the pages of `--paginate` included), so a server that refuses every fresh
/// token cannot drive a refresh per request, while each profile `status --verify` checks
/// still gets its own. Answers of any status are returned; only transport failures
/// and a renewal that fails throw.
public struct APIClient: Sendable {
    /// The source of each profile's access token, renewed under the lock when due.
    public var provider: TokenProvider
    /// Timeouts, size bound, trust and proxies for the API calls themselves.
    public var transport: TransportOptions
    /// The profiles whose one renewal has been used; shared by copies of this client.
    let renewed = LockedValue<Set<String>>([])

    /// Largest API answer read by default: list pages are small, but files can be listed
    /// with large limits.
    public static let defaultMaxResponseSize = 32 << 20

    /// A client that reads tokens through `provider`; answers are read up to
    /// ``defaultMaxResponseSize`` unless `transport` says otherwise.
    public init(provider: TokenProvider, transport: TransportOptions = TransportOptions(maxBodyBytes: APIClient.defaultMaxResponseSize)) {
        self.provider = provider
        self.transport = transport
    }

    /// Sends `request` with the access token of profile `name` (valid for at least `minValid`),
    /// renewing it and sending once more on a token refusal (see the type's discussion).
    /// Returns the answer whatever its status; throws for transport failures, for a renewal
    /// that fails, and when the profile does not exist. Thrown errors name the profile.
    public func send(_ request: APIRequest, profile name: String, minValid: Duration = .seconds(60)) async throws(PDSAuthError) -> HTTPClientResponse
    {
        do {
            return try await sendRenewingOnce(request, profile: name, minValid: minValid)
        } catch {
            var named = error
            if named.profile == nil { named.profile = name }
            throw named
        }
    }

    private func sendRenewingOnce(_ request: APIRequest, profile name: String, minValid: Duration) async throws(PDSAuthError) -> HTTPClientResponse {
        let profile = try await provider.validProfile(name, minValid: minValid)
        let first = try await send(request, with: profile)
        guard first.status == 401 else { return first }
        let named = try await authorizationServers(named: first, request: request, profile: profile)
        guard Self.isTokenRefusal(first), takeRenewal(for: name) else { return first }
        let renewed = try await provider.validProfile(name, minValid: minValid, force: true)
        let second = try await send(request, with: renewed)
        if second.status == 401, let named {
            var error = Self.error(for: second, request: request)
            error.detail("authorization servers", named.map { Redaction.terminalSafe($0, limit: 200) }.joined(separator: " "))
            throw error
        }
        return second
    }

    /// True the first time for each profile only.
    func takeRenewal(for name: String) -> Bool {
        renewed.update { used in used.insert(name).inserted }
    }

    /// For a generic provider's 401 pointing at RFC 9728 metadata: the authorization servers
    /// the resource names. When the profile is pinned to an issuer that is not among them,
    /// the token is not sent to this resource again (no renewal, no retry). PDS answers are
    /// never looked at this way.
    func authorizationServers(
        named response: HTTPClientResponse, request: APIRequest,
        profile: StoredProfile
    ) async throws(PDSAuthError) -> [String]? {
        guard profile.endpoints.flavor == .generic, let url = request.url(base: profile.endpoints.base) else { return nil }
        var options = transport
        options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
        guard let metadata = try await ProtectedResourceMetadata.fetch(for: response, requestURL: url, transport: options),
            !metadata.authorizationServers.isEmpty
        else { return nil }
        if let issuer = profile.endpoints.issuer, !metadata.authorizationServers.contains(issuer) {
            let named = metadata.authorizationServers.map { Redaction.terminalSafe($0, limit: 200) }.joined(separator: ", ")
            throw PDSAuthError(
                .resourceIssuerMismatch,
                "\(url.host ?? "The resource") takes tokens from \(named) (RFC 9728 metadata), not from this profile's issuer \(Redaction.terminalSafe(issuer, limit: 200)); the token was not sent to it again",
                details: ["authorization servers": named])
        }
        return metadata.authorizationServers
    }

    func send(_ request: APIRequest, with profile: StoredProfile) async throws(PDSAuthError) -> HTTPClientResponse {
        guard let url = request.url(base: profile.endpoints.base) else {
            throw PDSAuthError(
                .invalidRequest,
                "\(Redaction.terminalSafe(request.path, limit: 100)) does not make a URL under \(Redaction.url(profile.endpoints.base))")
        }
        var fields: HTTPFields = [.authorization: "Bearer \(profile.accessToken)", .accept: "application/json"]
        if request.body != nil { fields[.contentType] = "application/json" }
        fields.append(contentsOf: request.headerFields)
        var options = transport
        options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
        return try await CurlClient(options: options).send(
            HTTPClientRequest(
                method: request.method, url: url, headerFields: fields,
                body: request.body.map { Data($0) }))
    }

    /// PDS: 401 with `AccessTokenInvalid` (or a code naming an expired token) in the body or
    /// the gateway's `x-ca-error-code`. A 401 without a code is treated the same way.
    static func isTokenRefusal(_ response: HTTPClientResponse) -> Bool {
        guard let code = ServerError(response).code else { return true }
        let lowered = code.lowercased()
        return lowered.contains("accesstokeninvalid") || lowered.contains("tokenexpired") || lowered.contains("invalid_token")
    }

    /// The error for a non-2xx answer: what the server said, and what kind of failure it is.
    public static func error(for response: HTTPClientResponse, request: APIRequest) -> PDSAuthError {
        let reported = ServerError(response)
        let what = "\(request.method) \(Redaction.terminalSafe(request.path.prefix { $0 != "?" }, limit: 100))"
        switch response.status {
        case 401:
            return PDSAuthError(.apiUnauthorized, "\(what) was refused even with a fresh token: \(reported.summary)", reported: reported)
        case 408, 429, 500...599:
            return PDSAuthError(.serverUnavailable, "\(what) failed: \(reported.summary)", reported: reported)
        default:
            return PDSAuthError(.apiRejected, "\(what) was refused: \(reported.summary)", reported: reported)
        }
    }
}

/// What PDS's `POST /v2/user/get` says about the signed-in user: enough to tell that the
/// session works and whose it is (`status --verify`).
extension StoredUser {
    /// Decodes an answer leniently (ids may be numbers; each value cut at 1 KiB); nil when
    /// it is not a JSON object.
    package init?(userGetAnswer body: Data) {
        guard let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else { return nil }
        func text(_ key: String) -> String? { object[key]?.text.map { String($0.prefix(1024)) } }
        self.init(
            userID: text("user_id"), userName: text("user_name"), nickName: text("nick_name"), domainID: text("domain_id"),
            defaultDriveID: text("default_drive_id"), role: text("role"), status: text("status"))
    }

    /// Asks the server who the profile's token belongs to. Throws when the session does not
    /// work (the API's error, or the renewal's).
    package static func fetch(_ client: APIClient, profile name: String) async throws(PDSAuthError) -> StoredUser {
        let request = try APIRequest(path: "/v2/user/get", body: Array("{}".utf8))
        let response = try await client.send(request, profile: name)
        guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: request) }
        guard let user = StoredUser(userGetAnswer: response.body) else {
            throw PDSAuthError(.invalidResponse, "/v2/user/get did not answer with a JSON object")
        }
        return user
    }
}
