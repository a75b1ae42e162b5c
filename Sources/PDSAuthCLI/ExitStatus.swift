import PDSAuth

/// The process exit codes of `pds-auth`, one per kind of failure, so scripts can tell
/// "sign in again" from "try again later". README.md documents the same table, and
/// `pds-auth --help` prints it.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case usage = 2
    case configuration = 3
    case listenerUnavailable = 4
    case authorizationDenied = 5
    case redirectUnusable = 6
    case signInAgain = 7
    case serverUnavailable = 8
    case network = 9
    case invalidResponse = 10
    case credentialStore = 11
    case timedOut = 12
    case notSignedIn = 13
    case outputClosed = 14
    case apiRefused = 15
    case sealedSessionRefused = 16
    case interrupted = 130
    case terminated = 143

    /// One line for `--help` and README: what the code means.
    var meaning: String {
        switch self {
        case .success: "success"
        case .failure: "unexpected internal error"
        case .usage: "invalid command line (unknown option, missing or out-of-range value)"
        case .configuration:
            "invalid or missing configuration (client id, URLs, environment, key files), or an endpoint that is not what it should be"
        case .listenerUnavailable: "the loopback listener could not start (port or address taken)"
        case .authorizationDenied: "the provider or the user refused the authorization"
        case .redirectUnusable: "the provider's redirect carried this sign-in's state but no code"
        case .signInAgain: "the server rejected the grant or the client (sign in again, or check the app's settings)"
        case .serverUnavailable: "the server failed or throttled (retry later)"
        case .network: "network or TLS failure reaching the server (retry may help)"
        case .invalidResponse: "the server's answer is not a valid token or API response"
        case .credentialStore: "the credentials file, its lock or the profile's secret store (Secret Service) could not be used"
        case .timedOut: "gave up waiting for the browser, the device code expired, or import's sealed session did not come"
        case .notSignedIn: "no such profile, or it cannot produce a token without signing in"
        case .outputClosed: "standard output was closed before everything was written"
        case .apiRefused: "a PDS API refused the call (4xx other than 401: permissions, parameters, path)"
        case .sealedSessionRefused: "the sealed session cannot be opened here (another recipient, expired, truncated or altered); nothing was saved"
        case .interrupted: "interrupted (SIGINT); nothing half-written"
        case .terminated: "terminated (SIGTERM); nothing half-written"
        }
    }

    /// The exit status for a library error. Every catalogued code has its own row here;
    /// `ExitStatusTests` checks that none falls through to `failure` by accident.
    init(_ code: PDSAuthError.Code) {
        switch code {
        case .missingEndpoint, .invalidDomainID, .invalidURL, .insecureURL, .invalidRedirectURI, .missingClientID, .missingDomainID,
            .missingSubject, .invalidSetting, .secretFileUnreadable, .secretFileEmpty, .keyMissing, .keyUnreadable, .keyIsPublic,
            .keyEncrypted, .keyNotRSA, .keyUnparsable, .keyTooSmall, .keyUnusable, .keyWriteFailed, .noHome, .endpointMisconfigured,
            .noRevocationEndpoint, .networkLibraryMissing, .discoveryFailed, .invalidMetadata, .issuerMismatch, .pkceNotSupported,
            .noDeviceEndpoint, .resourceIssuerMismatch, .caBundleUnusable, .clockSkew:
            self = .configuration
        case .portInUse, .listenFailed: self = .listenerUnavailable
        case .authorizationDenied: self = .authorizationDenied
        case .redirectUnusable: self = .redirectUnusable
        case .signInTimedOut, .deviceCodeExpired, .importTimedOut: self = .timedOut
        case .sealedSessionInvalid, .sealedSessionExpired: self = .sealedSessionRefused
        case .sessionNotMovable, .profileExists, .confirmationRequired: self = .usage
        case .sessionExpired, .grantRejected, .clientRejected, .apiUnauthorized: self = .signInAgain
        case .apiRejected: self = .apiRefused
        case .invalidRequest, .programNotRunnable: self = .usage
        case .serverUnavailable: self = .serverUnavailable
        case .invalidResponse, .responseTooLarge: self = .invalidResponse
        case .httpTimeout, .unreachable, .tlsFailure, .connectionLost, .transferFailed: self = .network
        case .credentialsUnreadable, .credentialsCorrupt, .profileUnusable, .credentialsNewer, .credentialsNotOwned, .credentialsNotRegular,
            .directoryUnusable, .lockUnavailable, .lockTimeout, .writeFailed, .renewalNotSaved, .credentialsExposed,
            .secretStoreUnavailable, .secretStoreLocked, .secretMissing:
            self = .credentialStore
        case .noProfile, .noProfileSelected, .notRefreshable: self = .notSignedIn
        case .cancelled: self = .interrupted
        default: self = .failure
        }
    }

    static var helpText: String {
        "Exit codes:\n" + allCases.map { "  \($0.rawValue)\t\($0.meaning)" }.joined(separator: "\n")
    }
}
