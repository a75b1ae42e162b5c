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
