import FoundationEssentials
import HTTPTypes

/// Hands out access tokens that stay valid for a while, renewing them when needed, safely
/// across processes. PDS refresh tokens rotate (each refresh kills the old one), so two
/// processes refreshing at once would leave one holding a dead token. Here a renewal
/// happens only under the store's exclusive lock, after re-reading the profile inside it:
/// a process that waited for the lock finds the winner's fresh token and uses it.
public struct TokenProvider: Sendable {
    /// Where the profiles are read and renewed ones saved.
    public var store: CredentialStore
    /// What renews a profile: a refresh-token grant (RFC 6749 §6) or a new JWT assertion
    /// (RFC 7523) at the profile's token endpoint.
    package var renewer: any ProfileRenewer
    /// Now, for expiry decisions (a test can move it).
    package var clock: @Sendable () -> Date

    /// A provider over `store`, renewing through libcurl with pds-auth's default transport.
    public init(store: CredentialStore) {
        self.init(store: store, renewer: StandardRenewer())
    }

    /// A provider over `store`, renewing with `renewer` (the command line passes its
    /// transport; tests pass fakes and clocks).
    package init(store: CredentialStore, renewer: any ProfileRenewer, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.renewer = renewer
        self.clock = clock
    }

    /// The profile with an access token valid for at least `minValid`. With `force`,
    /// renews unless another process renewed it while we waited for the lock.
    public func validProfile(_ name: String, minValid: Duration, force: Bool = false) async throws(PDSAuthError) -> StoredProfile {
        guard let seen = try store.profile(name) else { throw Self.noProfile(name, store: store) }
        if !force, isFresh(seen, minValid: minValid) { return seen }
        let renewer = self.renewer
        let clock = self.clock
        var renewed = false
        do {
            return try await renew(name, seen: seen, minValid: minValid, force: force, renewer: renewer, clock: clock) { renewed = true }
        } catch  where renewed && [.writeFailed, .secretStoreUnavailable, .secretStoreLocked].contains(error.code) {
            throw Self.renewalNotSaved(error, name: name, rotates: seen.jwt == nil)
        }
    }

    /// The renewal under the lock; `onRenewed` runs once the server has issued new tokens.
    private func renew(
        _ name: String, seen: StoredProfile, minValid: Duration, force: Bool, renewer: any ProfileRenewer,
        clock: @escaping @Sendable () -> Date, onRenewed: () -> Void
    ) async throws(PDSAuthError) -> StoredProfile {
        let store = self.store
        return try await store.update(claimingRoom: true) { (file: inout CredentialsFile) throws(PDSAuthError) -> StoredProfile in
            guard var profile = try store.profile(name, in: &file) else { throw Self.noProfile(name, store: store) }
            let renewedMeanwhile = profile.obtainedAt != seen.obtainedAt || profile.accessToken != seen.accessToken
            if force ? renewedMeanwhile : isFresh(profile, minValid: minValid) { return profile }
            let receivedAt = clock()
            let response: TokenResponse
            do throws(PDSAuthError) {
                response = try await renewer.renew(profile, name: name)
            } catch {
                var error = error
                error.profile = name
                throw error
            }
            onRenewed()
            profile.apply(response, receivedAt: receivedAt)
            file.profiles[name] = profile
            return profile
        }
    }

    /// A save that failed after the server issued new tokens: for a rotating refresh token
    /// the saved one is now likely dead, which "the credentials are unchanged" would hide.
    static func renewalNotSaved(_ error: PDSAuthError, name: String, rotates: Bool) -> PDSAuthError {
        let consequence =
            rotates ? "the server has likely retired the saved refresh token, so sign in again" : "the saved profile can still renew itself"
        // The save's own facts (the path that failed) stay; the kind and the message are new.
        var failure = error
        failure.code = .renewalNotSaved
        failure.message =
            "The server issued new tokens for \"\(Redaction.terminalSafe(name, limit: 64))\", but they could not be saved (\(error.message)); \(consequence)"
        failure.profile = name
        return failure
    }

    /// Whether the profile's access token stays valid for at least `minValid` (true when its
    /// expiry is unknown: nothing says it is due).
    public func isFresh(_ profile: StoredProfile, minValid: Duration) -> Bool {
        guard let expiry = profile.effectiveExpiry else { return true }
        return expiry.timeIntervalSince(clock()) >= minValid.seconds
    }

    /// The error for a profile name the store does not have (`noProfile`), naming the file.
    public static func noProfile(_ name: String, store: CredentialStore) -> PDSAuthError {
        PDSAuthError(
            .noProfile, "There is no profile \"\(Redaction.terminalSafe(name, limit: 64))\"",
            profile: name, details: ["credentials": store.filePath])
    }
}

extension StoredProfile {
    /// The stored expiry, else the access token's own `exp` claim when it is a JWT.
    public var effectiveExpiry: Date? {
        expiresAt ?? JWTPreview(accessToken)?.expiry
    }
}

extension Duration {
    /// The span in seconds, as a `TimeInterval` for arithmetic with `Date`.
    public var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

/// Obtains a new token response for a profile (refresh grant, or a new JWT assertion).
package protocol ProfileRenewer: Sendable {
    func renew(_ profile: StoredProfile, name: String) async throws(PDSAuthError) -> TokenResponse
}

/// The renewals pds-auth knows: `refresh_token` (RFC 6749 §6) for browser sign-ins, a new
/// assertion (RFC 7523) for JWT-bearer profiles. `domain_id` is sent whenever the profile
/// knows its domain (PDS Token API, 2026 revision).
package struct StandardRenewer: ProfileRenewer {
    /// Timeouts, trust and proxies for the token request (the profile's CA bundle wins).
    package var transport: TransportOptions
    /// The token endpoint: libcurl, unless a test hands in its own.
    package var exchange: TokenExchange = .curl

    /// A renewer that reaches token endpoints through libcurl with `transport`.
    package init(transport: TransportOptions = TransportOptions()) { self.transport = transport }

    package init(transport: TransportOptions = TransportOptions(), exchange: TokenExchange) {
        self.transport = transport
        self.exchange = exchange
    }

    /// Trades the profile's refresh token (RFC 6749 §6), or a new assertion for a JWT
    /// profile (RFC 7523), for new tokens; saves nothing (`TokenProvider` does, under the lock).
    package func renew(_ profile: StoredProfile, name: String) async throws(PDSAuthError) -> TokenResponse {
        var options = transport
        options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
        func request(_ grant: TokenGrant) -> TokenExchange.Request {
            TokenExchange.Request(
                tokenURL: profile.endpoints.tokenURL, clientID: profile.clientID, clientSecret: profile.clientSecret,
                domainID: profile.domainID, transport: options, grant: grant)
        }
        if let jwt = profile.jwt {
            let assertion = try await JWTAssertion.sign(settings: jwt, clientID: profile.clientID, audience: profile.domainID ?? "")
            return try await exchange(request(.jwtBearer(assertion: assertion)))
        }
        guard let refreshToken = profile.refreshToken else {
            throw PDSAuthError(
                .notRefreshable, "Profile \"\(Redaction.terminalSafe(name, limit: 64))\" has no refresh token and its access token is expiring")
        }
        return try await exchange(request(.refreshToken(refreshToken)))
    }
}

/// Which profile a command works on when the user did not say (the order `gh auth`
/// users know): the name given (`--profile`, else `PDS_AUTH_PROFILE`), else the file's
/// current profile, else the only profile when there is exactly one.
package enum ProfileChoice {
    package static func resolve(_ named: String?, in file: CredentialsFile, store: CredentialStore) throws(PDSAuthError) -> String {
        if let named { return named }
        if let current = file.current, file.names.contains(current) { return current }
        let names = file.names
        if names.count == 1 { return names[0] }
        if names.isEmpty { throw PDSAuthError(.noProfile, "There are no saved profiles", details: ["credentials": store.filePath]) }
        throw PDSAuthError(
            .noProfileSelected,
            "There are \(names.count) profiles and none is current: \(names.map { Redaction.terminalSafe($0, limit: 64) }.joined(separator: ", "))",
            details: ["credentials": store.filePath])
    }

    /// Profile names are chosen by the user and shown everywhere: 1–64 letters, digits,
    /// `-`, `_`, `.` or `@`.
    package static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { FormEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") || $0 == UInt8(ascii: "@") }
    }
}

/// Revokes a profile's refresh token at the provider: PDS's `POST /v2/account/revoke`
/// with JSON `{"app_id", "refresh_token"}` (204 on success, as the PDS SDKs' sign-out), or
/// for a generic provider RFC 7009 §2.1: a form with `token` and
/// `token_type_hint=refresh_token`, the client authenticated as at its token endpoint.
package struct RevokeClient: Sendable {
    package var http: CurlClient

    package init(http: CurlClient) { self.http = http }

    /// Nothing to do without a refresh token; an error when the provider has no
    /// revocation endpoint or refuses.
    package func revoke(_ profile: StoredProfile) async throws(PDSAuthError) {
        guard let refreshToken = profile.refreshToken else { return }
        guard let url = profile.endpoints.revokeURL else {
            throw PDSAuthError(.noRevocationEndpoint, "\(profile.endpoints.providerName) has no revocation endpoint on record for this profile")
        }
        let request =
            profile.endpoints.flavor == .pds
            ? Self.pdsRequest(url: url, clientID: profile.clientID, refreshToken: refreshToken)
            : Self.rfc7009Request(url: url, profile: profile, refreshToken: refreshToken)
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, url: url, grant: .refreshToken(refreshToken))
        }
    }

    static func pdsRequest(url: URL, clientID: String, refreshToken: String) -> HTTPClientRequest {
        struct Body: Encodable {
            var app_id: String
            var refresh_token: String
        }
        // Encoding two strings cannot fail.
        let body = try! JSONEncoder().encode(Body(app_id: clientID, refresh_token: refreshToken))
        return HTTPClientRequest(
            method: .post, url: url, headerFields: .jsonAskingForJSON, body: body)
    }

    static func rfc7009Request(url: URL, profile: StoredProfile, refreshToken: String) -> HTTPClientRequest {
        var fields = [("token", refreshToken), ("token_type_hint", "refresh_token"), ("client_id", profile.clientID)]
        if let secret = profile.clientSecret, !secret.isEmpty { fields.append(("client_secret", secret)) }
        return HTTPClientRequest(
            method: .post, url: url, headerFields: .formAskingForJSON,
            body: Data(FormEncoding.encode(fields).utf8))
    }
}
