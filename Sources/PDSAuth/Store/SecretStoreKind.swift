/// Where a profile's secrets (refresh token, client secret, access token) live. The profile
/// remembers it; `credentials.json` holds every profile's non-secret settings either way.
public enum SecretStoreKind: String, Codable, Sendable, CaseIterable {
    /// In `credentials.json` itself (0600 in a 0700 directory): the default.
    case file
    /// In the freedesktop Secret Service (GNOME Keyring, KeePassXC…) over D-Bus, through
    /// libsecret; the file holds only which item has them.
    case secretService = "secret-service"

    /// The store named by `PDS_AUTH_STORE`, `--store` and `store migrate --to`.
    public init(naming text: String, source: String) throws(PDSAuthError) {
        guard let kind = SecretStoreKind(rawValue: text) else {
            throw PDSAuthError(.invalidSetting, "\(source) must be file or secret-service, not \"\(Redaction.terminalSafe(text, limit: 40))\"")
        }
        self = kind
    }
}

/// Which store a sign-in saves into: what the user said, else what the profile remembers.
/// Nothing but an explicit `--store file` moves a profile's secrets out of the Secret
/// Service: a `PDS_AUTH_STORE=file` left in the environment never downgrades one.
public enum SecretStoreChoice: Sendable, Equatable {
    /// `--store KIND` on the command line.
    case explicit(SecretStoreKind)
    /// `PDS_AUTH_STORE`.
    case environment(SecretStoreKind)
    /// Neither: the profile's remembered store, else `file`.
    case unspecified

    /// The `--store` flag, else `PDS_AUTH_STORE` (which must name a store if set).
    public static func from(flag: SecretStoreKind?, environment: [String: String]) throws(PDSAuthError) -> SecretStoreChoice {
        if let flag { return .explicit(flag) }
        guard let text = environment["PDS_AUTH_STORE"], !text.isEmpty else { return .unspecified }
        return .environment(try SecretStoreKind(naming: text, source: "PDS_AUTH_STORE"))
    }

    /// The store to use for a profile that now keeps its secrets in `remembered` (nil: new).
    public func resolve(remembered: SecretStoreKind?) -> SecretStoreKind {
        switch self {
        case .explicit(let kind): kind
        case .environment(let kind): remembered == .secretService ? .secretService : kind
        case .unspecified: remembered ?? .file
        }
    }
}
