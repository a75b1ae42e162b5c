import Logging
import PDSShared
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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

/// Where the server reads the time: expiry of codes, tokens and assertions is decided
/// against it, and tests substitute a clock they can move instead of sleeping.
struct DevServerClock: Sendable {
    var now: @Sendable () -> Date

    static let system = DevServerClock { Date() }
}

/// The base URL the server is reachable at, used as the `iss` of its access tokens. It is
/// only known once the socket is bound (port 0 picks a free port), after the router exists.
final class IssuerURL: Sendable {
    private let value: Mutex<String>

    init(_ initial: String) {
        value = Mutex(initial)
    }

    var current: String {
        value.withLock { $0 }
    }

    func set(_ url: String) {
        value.withLock { $0 = url }
    }
}

/// The users who can sign in. Mutable because a JWT-bearer assertion with `auto_create`
/// creates its user (PDS JWT apps), and because `is_first_login` (PDS Token API) is true
/// only on a user's first token.
actor UserDirectory {
    private var users: [DevUser]
    private var signedIn: Set<String> = []

    init(_ users: [DevUser]) {
        self.users = users
    }

    func all() -> [DevUser] {
        users
    }

    func user(_ id: String) -> DevUser? {
        users.first { $0.userID == id }
    }

    /// The user `id`, created as a plain `user` with its own drive when it does not exist.
    func findOrCreate(_ id: String) -> DevUser {
        if let existing = user(id) { return existing }
        let created = DevUser(userID: id, userName: id, role: "user", defaultDriveID: "drive-\(id)")
        users.append(created)
        return created
    }

    /// True the first time `id` receives tokens from this server.
    func recordSignIn(_ id: String) -> Bool {
        signedIn.insert(id).inserted
    }
}
