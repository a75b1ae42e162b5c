import PDSShared

/// One authorization: what a user (or a service account) allowed an app. Every token
/// issued for it carries its `id`, so revoking the grant kills all of them (RFC 6749
/// §4.1.2 on a replayed code, RFC 7009 §2.1 on revocation).
struct Grant: Sendable, Codable, Equatable {
    var id: String
    var clientID: String
    var user: DevUser
    var scopes: [String]
    /// PDS token responses name the device a grant belongs to (`device_id`); one per grant,
    /// kept across refreshes.
    var deviceID: String

    init(clientID: String, user: DevUser, scopes: [String]) {
        self.id = SecureRandom.token(bytes: 16)
        self.clientID = clientID
        self.user = user
        self.scopes = scopes
        self.deviceID = SecureRandom.hex(bytes: 16)
    }
}

/// Live refresh tokens and what became of dead ones.
///
/// Tokens rotate (PDS Token API; OAuth 2.0 Security BCP §4.14.2): each refresh answers with a
/// new token and retires the presented one, atomically inside this actor so two concurrent
/// refreshes with one token cannot both succeed. A revoked grant (replayed code, revoke
/// call) kills every token issued for it, including one minted while the revocation raced.
actor RefreshTokens {
    enum Death: String, Sendable, Codable {
        case rotated, revoked
    }

    /// Everything this actor knows, for a state directory (``DevServerStateFile``).
    struct Snapshot: Sendable, Codable, Equatable {
        var live: [String: Grant] = [:]
        var dead: [String: Death] = [:]
        var revokedGrants: [String] = []
    }

    enum Rotation: Sendable {
        case rotated(Grant, newToken: String)
        case unknown
        case dead(Death)
        case wrongClient
    }

    enum Revocation: Sendable, Equatable {
        case revoked, unknown, wrongApp
    }

    private var live: [String: Grant]
    private var dead: [String: Death]
    private var revokedGrants: Set<String>
    /// Hears every change, to keep it across restarts.
    private let journal: (@Sendable (Snapshot) -> Void)?

    init(_ snapshot: Snapshot = Snapshot(), journal: (@Sendable (Snapshot) -> Void)? = nil) {
        live = snapshot.live
        dead = snapshot.dead
        revokedGrants = Set(snapshot.revokedGrants)
        self.journal = journal
    }

    private func changed() {
        journal?(Snapshot(live: live, dead: dead, revokedGrants: revokedGrants.sorted()))
    }

    /// A new token for `grant`: 128 random bits as 32 hex digits, the shape of PDS's.
    func issue(for grant: Grant) -> String {
        let token = SecureRandom.hex(bytes: 16)
        if revokedGrants.contains(grant.id) {
            dead[token] = .revoked
        } else {
            live[token] = grant
        }
        changed()
        return token
    }

    /// RFC 6749 §6: the token must have been issued to the authenticated client. A token
    /// presented by another client stays alive: that client cannot hurt its owner.
    func rotate(_ token: String, clientID: String) -> Rotation {
        if let death = dead[token] { return .dead(death) }
        guard let grant = live[token] else { return .unknown }
        guard grant.clientID == clientID else { return .wrongClient }
        live[token] = nil
        dead[token] = .rotated
        return .rotated(grant, newToken: issue(for: grant))
    }

    /// RFC 7009 §2.1: revoking a refresh token ends its whole grant.
    func revoke(_ token: String, appID: String) -> Revocation {
        guard let grant = live[token] else { return .unknown }
        guard grant.clientID == appID else { return .wrongApp }
        revokeGrant(grant.id)
        return .revoked
    }

    /// True once the grant `id` was revoked: its access tokens are refused from then on
    /// (RFC 7009 §2.1: revoking a refresh token should also invalidate the access tokens
    /// of the same grant).
    func isRevoked(grantID id: String) -> Bool {
        revokedGrants.contains(id)
    }

    func revokeGrant(_ id: String) {
        revokedGrants.insert(id)
        for (token, grant) in live where grant.id == id {
            live[token] = nil
            dead[token] = .revoked
        }
        changed()
    }
}
