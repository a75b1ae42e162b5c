/// A store outside the credentials file that keeps profiles' secrets: the freedesktop
/// Secret Service (`SecretServiceBackend`), or a stand-in in tests. It holds *items*, each a
/// text payload with attributes; `CredentialStore` decides what goes in them and in which
/// order items and the file are written (see `CredentialStore+Secrets.swift`).
///
/// Every method fails with `secretStoreUnavailable` (nothing to talk to), `secretStoreLocked`
/// (the keyring is locked and was not unlocked by its own prompt) or, for other trouble,
/// `secretStoreUnavailable` with the service's words; never by falling back to anything.
public protocol SecretBackend: Sendable {
    /// The store's name as users choose it (`--store`).
    var kind: SecretStoreKind { get }
    /// Stores `payload` as the item `key`, replacing an item with the same attributes.
    func store(_ payload: String, as key: SecretItemKey) throws(PDSAuthError)
    /// The payload of the item matching `query`; nil when there is none.
    func lookup(_ query: SecretQuery) throws(PDSAuthError) -> String?
    /// The generations of the items matching `query`, locked or not, reading no secret.
    func generations(_ query: SecretQuery) throws(PDSAuthError) -> [String]
    /// Deletes every item matching `query`; fails if any is left (a locked keyring).
    func delete(_ query: SecretQuery) throws(PDSAuthError)
}

/// One item's attributes. `profileID` and `generation` identify it; `basis` is the
/// generation it succeeds (how an interrupted save is found and completed); `profile` and
/// `home` are there for people browsing their keyring.
public struct SecretItemKey: Sendable, Equatable {
    public var profileID: String
    public var generation: String
    public var basis: String
    public var profile: String
    public var home: String

    public init(profileID: String, generation: String, basis: String, profile: String, home: String) {
        self.profileID = profileID
        self.generation = generation
        self.basis = basis
        self.profile = profile
        self.home = home
    }

    var attributes: [(String, String)] {
        [("profile-id", profileID), ("generation", generation), ("basis", basis), ("profile", profile), ("home", home)]
    }

    /// The label a keyring browser (Seahorse, KeePassXC) shows.
    var label: String { "pds-auth: profile \"\(profile)\" (\(home))" }
}

/// Which items: those of one profile, optionally of one generation or succeeding one.
public struct SecretQuery: Sendable, Equatable {
    public var profileID: String
    public var generation: String?
    public var basis: String?

    public init(profileID: String, generation: String? = nil, basis: String? = nil) {
        self.profileID = profileID
        self.generation = generation
        self.basis = basis
    }

    var attributes: [(String, String)] {
        [("profile-id", profileID)] + (generation.map { [("generation", $0)] } ?? []) + (basis.map { [("basis", $0)] } ?? [])
    }

    /// Whether an item with `key` is one of these.
    public func matches(_ key: SecretItemKey) -> Bool {
        key.profileID == profileID && generation.map { $0 == key.generation } ?? true && basis.map { $0 == key.basis } ?? true
    }
}
