import FoundationEssentials

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

/// A `secret-service` profile as the credentials file holds it: its settings, and which
/// Secret Service item holds its secrets. `CredentialStore` opens it (reads the item) when
/// a command needs the profile; listing profiles never does.
package struct SealedProfile: Sendable, Equatable {
    /// The settings; the secrets in it are placeholders, replaced when opened.
    var settings: StoredProfile
    package var id: String
    package var generation: String

    /// Reads the settings of a file entry that names the Secret Service; nil when the entry
    /// does not. An entry holding a secret anyway is refused: secrets of such a profile
    /// never belong in the file, so one there was not written by pds-auth.
    static func decode(_ raw: JSONValue) throws(CredentialsFile.Reason) -> SealedProfile? {
        guard var members = raw.members, members["store"] == .string(SecretStoreKind.secretService.rawValue) else { return nil }
        if members.keys.contains(where: StoredProfile.secretKeys.contains) {
            throw CredentialsFile.Reason(text: "it keeps its secrets in secret-service, yet the file holds one")
        }
        guard case .string(let id)? = members["secretID"], case .string(let generation)? = members["secretGeneration"],
            SecretPayload.isIdentifier(id), SecretPayload.isIdentifier(generation)
        else {
            throw CredentialsFile.Reason(text: "it does not say which secret-service item holds its secrets")
        }
        members["accessToken"] = .string("sealed")
        let settings: StoredProfile
        do {
            settings = try CredentialsFile.decoder().decode(StoredProfile.self, from: JSONEncoder().encode(JSONValue.object(members)))
        } catch {
            throw CredentialsFile.Reason(text: CredentialsFile.reason(error))
        }
        if let problem = settings.problem { throw CredentialsFile.Reason(text: problem) }
        return SealedProfile(settings: settings, id: id, generation: generation)
    }

    /// The profile with the secrets of its item.
    func opened(with payload: StoredProfile) -> StoredProfile {
        var profile = settings
        profile.accessToken = payload.accessToken
        profile.refreshToken = payload.refreshToken
        profile.clientSecret = payload.clientSecret
        return profile
    }
}

/// What a Secret Service item holds: the whole profile, secrets included, as JSON
/// (`{"format": 1, "profile": {…}}`). Reading a profile takes only the secrets from it (the
/// file is the truth for settings); the rest is there so that an item written by a save that
/// was killed before the file was replaced can complete that save on its own.
enum SecretPayload {
    static let format = 1

    private struct Document: Codable {
        var format: Int
        var profile: StoredProfile
    }

    static func encode(_ profile: StoredProfile) -> String {
        // Encoding our own Codable values cannot fail.
        String(decoding: try! CredentialsFile.encoder().encode(Document(format: format, profile: profile)), as: UTF8.self)
    }

    /// The profile in an item's text, checked like one read from the file and bound to the
    /// item it was read from (its profile id, and its generation when one is named); nil for
    /// anything pds-auth did not write there.
    static func decode(_ text: String, id: String, generation: String?) -> StoredProfile? {
        guard text.utf8.count <= CredentialsFile.maxFileSize,
            let document = try? CredentialsFile.decoder().decode(Document.self, from: Data(text.utf8)), document.format == format,
            document.profile.problem == nil, document.profile.secretStore == .secretService, document.profile.secretID == id,
            let stored = document.profile.secretGeneration, isIdentifier(stored), generation.map({ $0 == stored }) ?? true
        else { return nil }
        return document.profile
    }

    /// What names items: 16–64 base64url characters (`CredentialStore` makes 32 hex digits).
    static func isIdentifier(_ text: String) -> Bool {
        (16...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }
}
