/// The process exit codes of `pds-auth`, one per kind of failure, so scripts can tell
/// "sign in again" from "try again later". README.md documents the same table.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    case failure = 1
    case usage = 2
    case configuration = 3
    case listenerUnavailable = 4
    case authorizationDenied = 5
    case callbackRejected = 6
    case tokenRejected = 7
    case serverUnavailable = 8
    case network = 9
    case invalidResponse = 10
    case credentialStore = 11
    case timedOut = 12
    case notSignedIn = 13
    case interrupted = 130
    case terminated = 143

    /// One line for `--help` and README: what the code means.
    public var meaning: String {
        switch self {
        case .success: "success"
        case .failure: "unexpected internal error"
        case .usage: "invalid command line"
        case .configuration: "invalid or missing configuration (client id, URLs, key files)"
        case .listenerUnavailable: "the loopback listener could not start (port busy, address unusable)"
        case .authorizationDenied: "the provider or the user refused the authorization"
        case .callbackRejected: "the browser's redirect was rejected (state missing, wrong or replayed)"
        case .tokenRejected: "the token endpoint rejected the request (sign in again)"
        case .serverUnavailable: "the token endpoint failed or throttled (retry later)"
        case .network: "network or TLS failure reaching the endpoint (retry may help)"
        case .invalidResponse: "the endpoint answered with something that is not a valid token response"
        case .credentialStore: "the credentials file or its lock could not be used"
        case .timedOut: "gave up waiting for the browser"
        case .notSignedIn: "no such profile, or it cannot produce a token without signing in"
        case .interrupted: "interrupted (SIGINT)"
        case .terminated: "terminated (SIGTERM)"
        }
    }
}
