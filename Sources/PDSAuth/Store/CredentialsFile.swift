import FoundationEssentials

/// The whole credentials file: a format version, the current profile, and the profiles by
/// name. Read tolerantly, written conservatively:
/// - a profile this version cannot read is set aside in ``unreadable`` and written back as
///   it was; the other profiles stay usable (one damaged entry never locks out the rest);
/// - members this version does not know, of the file and of each profile, are kept;
/// - a file that is not JSON, or was written by a newer version, is refused as a whole
///   and never overwritten.
public struct CredentialsFile: Sendable {
    public static let currentVersion = 1
    public var version: Int
    /// The profile used when none is named (set by `login`, changed by `switch`).
    public var current: String?
    public var profiles: [String: StoredProfile]
    /// Profiles present in the file that this version cannot use, with the reason.
    public var unreadable: [String: String]
    /// Profiles whose secrets are in the Secret Service, as the file holds them (not yet
    /// read from there): `CredentialStore.profile(_:)` opens one. A profile put in
    /// ``profiles`` under the same name replaces it when the file is written.
    package var sealed: [String: SealedProfile] = [:]
    /// Opened `secret-service` profiles known to match the item their generation names
    /// (opened under the lock, or adopted from an interrupted save): writing one of these
    /// unchanged needs no new item.
    var committed: [String: StoredProfile] = [:]

    /// The file as read: what each profile was, raw, so untouched ones are written back as
    /// they were and unknown members survive.
    var original: [String: StoredProfile] = [:]
    var rawProfiles: [String: JSONValue] = [:]
    var rawExtras: [String: JSONValue] = [:]

    public init(version: Int = CredentialsFile.currentVersion, current: String? = nil, profiles: [String: StoredProfile] = [:]) {
        self.version = version
        self.current = current
        self.profiles = profiles
        self.unreadable = [:]
    }

    /// Removes a profile, readable or not; returns whether it existed.
    public mutating func remove(_ name: String) -> Bool {
        let existed = [profiles.removeValue(forKey: name) != nil, unreadable.removeValue(forKey: name) != nil,
                       sealed.removeValue(forKey: name) != nil].contains(true)
        if current == name { current = nil }
        return existed
    }

    /// Every profile name in the file, usable or not, sorted.
    public var names: [String] { Set(profiles.keys).union(unreadable.keys).union(sealed.keys).sorted() }

    /// Where profile `name` keeps its secrets, nil when there is no such usable profile.
    public func secretStore(of name: String) -> SecretStoreKind? {
        profiles[name]?.secretStore ?? sealed[name].map { _ in .secretService }
    }
}

extension CredentialsFile: Equatable {
    /// What a caller can change; the raw copies follow from it.
    public static func == (lhs: CredentialsFile, rhs: CredentialsFile) -> Bool {
        lhs.version == rhs.version && lhs.current == rhs.current && lhs.profiles == rhs.profiles
            && Set(lhs.unreadable.keys) == Set(rhs.unreadable.keys) && lhs.sealed == rhs.sealed
    }
}
