import Logging
import PDSShared

/// Everything the endpoints share: the configuration, the actors that hold what was
/// issued, the keys, the page renderer and the list-marker key. Immutable itself; all mutation happens inside
/// the actors.
struct DevServerState: Sendable {
    let configuration: DevServerConfiguration
    /// By client id.
    let apps: [String: DevApp]
    let users: UserDirectory
    let pending: PendingAuthorizations
    let codes: AuthorizationCodes
    let refreshTokens: RefreshTokens
    let accessTokens: IssuedAccessTokens
    let seenAssertions: SeenAssertionIDs
    let statistics: StatisticsRecorder
    let faults: DevServerFaults
    let keys: KeyCollections
    let pages: PageRenderer
    /// Signs the `next_marker` of resource lists.
    let markers: ListMarkers
    let issuer: IssuerURL
    let clock: DevServerClock
    let logger: Logger

    /// How long a consent page may stay unanswered: a person reads it, so longer than a
    /// code lives, yet still short.
    var pendingLifetime: Int {
        configuration.codeLifetime * 5
    }
}
