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
