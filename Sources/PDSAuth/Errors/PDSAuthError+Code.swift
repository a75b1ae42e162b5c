extension PDSAuthError {
    /// The catalogue of failures, one code per kind, stable across releases (the pattern of
    /// jwt-kit's `JWTError.ErrorType`: a struct over a private enum, so codes can be added
    /// without breaking callers that switch over the ones they handle).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, CaseIterable {
            // The configuration given: flags, environment, files named by them.
            case missingEndpoint = "missing_endpoint"
            case invalidDomainID = "invalid_domain_id"
            case invalidURL = "invalid_url"
            case insecureURL = "insecure_url"
            case invalidRedirectURI = "invalid_redirect_uri"
            case missingClientID = "missing_client_id"
            case missingDomainID = "missing_domain_id"
            case missingSubject = "missing_subject"
            case invalidSetting = "invalid_setting"
            case secretFileUnreadable = "secret_file_unreadable"
            case secretFileEmpty = "secret_file_empty"
            case keyMissing = "key_missing"
            case keyUnreadable = "key_unreadable"
            case keyIsPublic = "key_is_public"
            case keyEncrypted = "key_encrypted"
            case keyNotRSA = "key_not_rsa"
            case keyUnparsable = "key_unparsable"
            case keyTooSmall = "key_too_small"
            case keyUnusable = "key_unusable"
            case keyWriteFailed = "key_write_failed"
            case noHome = "no_home"
            case endpointMisconfigured = "endpoint_misconfigured"
            case noRevocationEndpoint = "no_revocation_endpoint"
            // Discovery (RFC 8414, RFC 9728) and the device grant (RFC 8628).
            case discoveryFailed = "discovery_failed"
            case invalidMetadata = "invalid_metadata"
            case issuerMismatch = "issuer_mismatch"
            case pkceNotSupported = "pkce_not_supported"
            case noDeviceEndpoint = "no_device_endpoint"
            case resourceIssuerMismatch = "resource_issuer_mismatch"
            case deviceCodeExpired = "device_code_expired"
            case caBundleUnusable = "ca_bundle_unusable"
            case clockSkew = "clock_skew"
            // The loopback listener.
            case portInUse = "port_in_use"
            case listenFailed = "listen_failed"
            // The browser leg.
            case authorizationDenied = "authorization_denied"
            case redirectUnusable = "redirect_unusable"
            case signInTimedOut = "sign_in_timeout"
            // The token endpoint's answer.
            case sessionExpired = "session_expired"
            case grantRejected = "grant_rejected"
            case clientRejected = "client_rejected"
            case serverUnavailable = "server_unavailable"
            case invalidResponse = "invalid_response"
            case responseTooLarge = "response_too_large"
            // Reaching the endpoint.
            case httpTimeout = "http_timeout"
            case unreachable = "unreachable"
            case tlsFailure = "tls_failure"
            case connectionLost = "connection_lost"
            case transferFailed = "transfer_failed"
            case networkLibraryMissing = "network_library_missing"
            // The credentials file.
            case credentialsUnreadable = "credentials_unreadable"
            case credentialsCorrupt = "credentials_corrupt"
            case profileUnusable = "profile_unusable"
            case credentialsNewer = "credentials_newer"
            case credentialsNotOwned = "credentials_not_owned"
            case credentialsNotRegular = "credentials_not_regular"
            case directoryUnusable = "directory_unusable"
            case lockUnavailable = "lock_unavailable"
            case lockTimeout = "lock_timeout"
            case writeFailed = "write_failed"
            case renewalNotSaved = "renewal_not_saved"
            case credentialsExposed = "credentials_exposed"
            // Where secrets live (a profile's chosen store).
            case secretStoreUnavailable = "secret_store_unavailable"
            case secretStoreLocked = "secret_store_locked"
            case secretMissing = "secret_missing"
            // Moving a session between machines.
            case sealedSessionInvalid = "sealed_session_invalid"
            case sealedSessionExpired = "sealed_session_expired"
            case importTimedOut = "import_timeout"
            case sessionNotMovable = "session_not_movable"
            case profileExists = "profile_exists"
            case confirmationRequired = "confirmation_required"
            // PDS API calls.
            case apiUnauthorized = "api_unauthorized"
            case apiRejected = "api_rejected"
            case invalidRequest = "invalid_request"
            // Programs pds-auth starts.
            case programNotRunnable = "program_not_runnable"
            // Profiles.
            case noProfile = "no_profile"
            case noProfileSelected = "no_profile_selected"
            case notRefreshable = "not_refreshable"
            // Everything else.
            case cancelled = "cancelled"
            case jwtSigningFailed = "jwt_signing_failed"
            case `internal` = "internal"
        }

        let base: Base

        private init(_ base: Base) { self.base = base }

        /// Every code, for front ends that must map each one (and tests that check they do).
        public static var all: [Code] { Base.allCases.map(Code.init) }

        public var description: String { base.rawValue }

        /// No domain id and no endpoint: nowhere to sign in.
        public static let missingEndpoint = Self(.missingEndpoint)
        /// A domain id that cannot be a host label.
        public static let invalidDomainID = Self(.invalidDomainID)
        /// A URL that is not http(s) with a host, or carries credentials.
        public static let invalidURL = Self(.invalidURL)
        /// Plain http to a host that is not loopback.
        public static let insecureURL = Self(.insecureURL)
        /// A redirect URI that is not a plain-http loopback URL (RFC 8252 §7.3).
        public static let invalidRedirectURI = Self(.invalidRedirectURI)
        /// No client id: `--client-id` or `PDS_CLIENT_ID`.
        public static let missingClientID = Self(.missingClientID)
        /// A JWT assertion names the domain as its audience; none was given.
        public static let missingDomainID = Self(.missingDomainID)
        /// A JWT sign-in needs the subject (`--subject`): the user or service the token is for.
        public static let missingSubject = Self(.missingSubject)
        /// A number or value from the environment or a file is out of its range.
        public static let invalidSetting = Self(.invalidSetting)
        /// The file named for the client secret cannot be read.
        public static let secretFileUnreadable = Self(.secretFileUnreadable)
        /// The file named for the client secret is empty.
        public static let secretFileEmpty = Self(.secretFileEmpty)
        /// The JWT private key file does not exist.
        public static let keyMissing = Self(.keyMissing)
        /// The JWT private key file cannot be read (permissions, not a regular file).
        public static let keyUnreadable = Self(.keyUnreadable)
        /// The key file holds a public key or certificate, not the private key.
        public static let keyIsPublic = Self(.keyIsPublic)
        /// The private key is encrypted; pds-auth reads unencrypted PEM keys.
        public static let keyEncrypted = Self(.keyEncrypted)
        /// The key is not an RSA key (PDS JWT apps sign with RS256).
        public static let keyNotRSA = Self(.keyNotRSA)
        /// The key file is not a PEM private key pds-auth can read.
        public static let keyUnparsable = Self(.keyUnparsable)
        /// The RSA key is shorter than 2048 bits.
        public static let keyTooSmall = Self(.keyTooSmall)
        /// The key was read but cannot sign an assertion.
        public static let keyUnusable = Self(.keyUnusable)
        /// A generated key could not be written.
        public static let keyWriteFailed = Self(.keyWriteFailed)
        /// Neither `PDS_AUTH_HOME` nor `HOME` says where credentials live.
        public static let noHome = Self(.noHome)
        /// The token endpoint answered as no token endpoint does (a redirect, 404, 405…):
        /// the URL is wrong, the request was not judged.
        public static let endpointMisconfigured = Self(.endpointMisconfigured)
        /// `logout --revoke` for a generic provider that was signed in without `--revoke-url`.
        public static let noRevocationEndpoint = Self(.noRevocationEndpoint)
        /// Neither well-known URL of the issuer (RFC 8414 §3.1, OpenID Connect Discovery §4)
        /// has a metadata document.
        public static let discoveryFailed = Self(.discoveryFailed)
        /// A metadata document that is not JSON, or names an endpoint that is not a usable URL,
        /// or lacks one that is needed.
        public static let invalidMetadata = Self(.invalidMetadata)
        /// The metadata names another issuer than the one asked for (RFC 8414 §3.3).
        public static let issuerMismatch = Self(.issuerMismatch)
        /// The issuer does not offer PKCE with S256, and `--no-pkce` was not given.
        public static let pkceNotSupported = Self(.pkceNotSupported)
        /// `login --device` for a provider with no device authorization endpoint (RFC 8628).
        public static let noDeviceEndpoint = Self(.noDeviceEndpoint)
        /// A resource answered 401 and its metadata (RFC 9728) names other authorization
        /// servers than the profile's issuer: the token is not sent to it again.
        public static let resourceIssuerMismatch = Self(.resourceIssuerMismatch)
        /// The device code expired before the user approved it (RFC 8628 §3.5 `expired_token`,
        /// or its `expires_in` ran out).
        public static let deviceCodeExpired = Self(.deviceCodeExpired)
        /// The CA bundle named by `--cacert`, `CURL_CA_BUNDLE` or `SSL_CERT_FILE` (or
        /// remembered by a profile) is missing, not a regular file, or holds no certificate.
        public static let caBundleUnusable = Self(.caBundleUnusable)
        /// This machine's clock and the server's `Date` disagree by more than JWT assertions
        /// allow for (`--clock-skew`, 30 s by default).
        public static let clockSkew = Self(.clockSkew)
        /// The redirect URI's port (or one of its addresses) is held by someone else.
        public static let portInUse = Self(.portInUse)
        /// The loopback listener could not start for a reason other than a taken port.
        public static let listenFailed = Self(.listenFailed)
        /// The provider (or the user) refused, on a redirect carrying this sign-in's `state`
        /// (RFC 6749 §4.1.2.1); the provider's error code is its `providerError`.
        public static let authorizationDenied = Self(.authorizationDenied)
        /// A redirect carrying this sign-in's `state` but neither a code nor an error.
        public static let redirectUnusable = Self(.redirectUnusable)
        /// Nobody completed the sign-in before the wait ran out.
        public static let signInTimedOut = Self(.signInTimedOut)
        /// A refresh token (or the grant behind it) the server no longer accepts.
        public static let sessionExpired = Self(.sessionExpired)
        /// An authorization code, assertion or other grant the server refused.
        public static let grantRejected = Self(.grantRejected)
        /// The server does not accept the client id or secret.
        public static let clientRejected = Self(.clientRejected)
        /// 5xx, 429 or 408: the server failed or throttled; retrying later may work.
        public static let serverUnavailable = Self(.serverUnavailable)
        /// A 2xx answer that is not a valid token (or API) response.
        public static let invalidResponse = Self(.invalidResponse)
        /// An answer larger than pds-auth reads (the transfer's size bound).
        public static let responseTooLarge = Self(.responseTooLarge)
        /// The server did not answer within the time allowed.
        public static let httpTimeout = Self(.httpTimeout)
        /// The server could not be reached (DNS, refused connection, proxy).
        public static let unreachable = Self(.unreachable)
        /// TLS failed: an untrusted or mismatched certificate, or no common protocol.
        public static let tlsFailure = Self(.tlsFailure)
        /// The connection ended before the answer was complete.
        public static let connectionLost = Self(.connectionLost)
        /// Any other transfer failure libcurl reported.
        public static let transferFailed = Self(.transferFailed)
        /// libcurl (Debian's libcurl4) cannot be loaded; it is needed for every request.
        public static let networkLibraryMissing = Self(.networkLibraryMissing)
        /// The credentials file cannot be read.
        public static let credentialsUnreadable = Self(.credentialsUnreadable)
        /// The file does not parse; it is never overwritten.
        public static let credentialsCorrupt = Self(.credentialsCorrupt)
        /// One profile in the file cannot be used (a damaged or hand-edited entry); the others
        /// can, and the file is written back with it unchanged.
        public static let profileUnusable = Self(.profileUnusable)
        /// Written by a newer pds-auth; never overwritten.
        public static let credentialsNewer = Self(.credentialsNewer)
        /// Owned by another user: refused, never read.
        public static let credentialsNotOwned = Self(.credentialsNotOwned)
        /// A symbolic link, a directory or another non-regular file: refused.
        public static let credentialsNotRegular = Self(.credentialsNotRegular)
        /// The credentials directory cannot be created, is not a directory, or is open to
        /// others and cannot be narrowed.
        public static let directoryUnusable = Self(.directoryUnusable)
        /// The credentials lock file cannot be opened or locked.
        public static let lockUnavailable = Self(.lockUnavailable)
        /// Another pds-auth process held the credentials lock longer than the wait allows.
        public static let lockTimeout = Self(.lockTimeout)
        /// The credentials file (or its directory) could not be written; nothing changed.
        public static let writeFailed = Self(.writeFailed)
        /// The server issued new tokens but saving them failed: for a rotating refresh token
        /// the saved one is likely dead.
        public static let renewalNotSaved = Self(.renewalNotSaved)
        /// The credentials file or its directory is open to other users. Every command
        /// narrows it when it reads it; `doctor`, which changes nothing, reports it.
        public static let credentialsExposed = Self(.credentialsExposed)
        /// The profile's secret store cannot be used: libsecret missing, no D-Bus session or
        /// Secret Service, or the service refused. Nothing falls back to the file.
        public static let secretStoreUnavailable = Self(.secretStoreUnavailable)
        /// The keyring holding the profile's secrets is locked, and its own prompt did not
        /// unlock it (none could be shown, or it was dismissed).
        public static let secretStoreLocked = Self(.secretStoreLocked)
        /// The Secret Service item holding a profile's secrets is gone.
        public static let secretMissing = Self(.secretMissing)
        /// A sealed session that cannot be opened here: for another recipient key, truncated,
        /// altered, or not a sealed session at all. Nothing was saved.
        public static let sealedSessionInvalid = Self(.sealedSessionInvalid)
        /// A sealed session past its expiry (or claiming an impossible one). Nothing was saved.
        public static let sealedSessionExpired = Self(.sealedSessionExpired)
        /// `import` waited as long as it may for the sealed session.
        public static let importTimedOut = Self(.importTimedOut)
        /// A profile that cannot be moved as asked (a JWT profile, `--keep` with rotating
        /// refresh tokens).
        public static let sessionNotMovable = Self(.sessionNotMovable)
        /// A profile of that name exists already and would be replaced.
        public static let profileExists = Self(.profileExists)
        /// Something that lowers protection (secrets into the file) was asked for without a
        /// terminal to confirm it on, and without `--yes`.
        public static let confirmationRequired = Self(.confirmationRequired)
        /// An API kept answering 401 after a fresh token: the session is not accepted.
        public static let apiUnauthorized = Self(.apiUnauthorized)
        /// An API refused the call (4xx other than 401): permissions, parameters, paths.
        public static let apiRejected = Self(.apiRejected)
        /// A request pds-auth was asked to send is malformed (a body that is not JSON, a path
        /// with characters no URL path has); nothing was sent.
        public static let invalidRequest = Self(.invalidRequest)
        /// `exec`'s program cannot be found or started (the process exits 127 or 126).
        public static let programNotRunnable = Self(.programNotRunnable)
        /// The named profile does not exist.
        public static let noProfile = Self(.noProfile)
        /// Several profiles, none named and none current.
        public static let noProfileSelected = Self(.noProfileSelected)
        /// The access token is expiring and nothing can renew it without a sign-in.
        public static let notRefreshable = Self(.notRefreshable)
        /// The work was cancelled (Ctrl-C, SIGTERM, a cancelled task); nothing was saved.
        public static let cancelled = Self(.cancelled)
        /// The JWT assertion could not be signed.
        public static let jwtSigningFailed = Self(.jwtSigningFailed)
        /// A bug or a broken build (a page template missing, say).
        public static let `internal` = Self(.internal)
    }
}
