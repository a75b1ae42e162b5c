/// Why a ``DevServer`` cannot be configured or started.
public enum DevServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server only ever listens on loopback (RFC 8252 §8.3: loopback servers must not be
    /// reachable from the network); this host is not 127.0.0.0/8, ::1 or localhost.
    case nonLoopbackHost(String)
    case invalidPort(Int)
    case emptyDomainID
    case noUsers
    case duplicateUserID(String)
    case emptyClientID
    case duplicateClientID(String)
    /// RFC 6749 §3.1.2: a redirection endpoint is an absolute URI without a fragment.
    case invalidRedirectURI(clientID: String, uri: String)
    case invalidJWTPublicKey(clientID: String, reason: String)
    case nonPositiveLifetime(String)
    case missingPageTemplate(String)
    case keyGenerationFailed(String)
    /// The server stopped before its socket was bound (for example the port is in use).
    case stoppedBeforeListening
    /// The state directory cannot be created, read or written.
    case stateDirectoryUnusable(String, String)
    /// Another dev server runs with this state directory.
    case stateDirectoryInUse(String)

    public var description: String {
        switch self {
        case .nonLoopbackHost(let host): "The dev server only listens on loopback; \(host) is not 127.0.0.0/8, ::1 or localhost"
        case .invalidPort(let port): "Port \(port) is outside 0...65535"
        case .emptyDomainID: "The domain id is empty"
        case .noUsers: "At least one user is needed for the consent page"
        case .duplicateUserID(let id): "The user id \(id) is used twice"
        case .emptyClientID: "An app has an empty client id"
        case .duplicateClientID(let id): "The client id \(id) is used twice"
        case .invalidRedirectURI(let id, let uri): "App \(id): \(uri) is not an absolute http(s) URI without a fragment"
        case .invalidJWTPublicKey(let id, let reason): "App \(id): the JWT public key is unusable: \(reason)"
        case .nonPositiveLifetime(let name): "\(name) must be a positive number of seconds"
        case .missingPageTemplate(let name): "The page template \(name) is missing from this build"
        case .keyGenerationFailed(let reason): "Could not generate an RSA key: \(reason)"
        case .stoppedBeforeListening: "The dev server stopped before it was listening"
        case .stateDirectoryUnusable(let directory, let reason): "The state directory \(directory) cannot be used: \(reason)"
        case .stateDirectoryInUse(let directory): "Another dev server is running with the state directory \(directory)"
        }
    }
}
