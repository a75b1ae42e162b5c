import FoundationEssentials

/// The whole credentials file: a format version, the current profile, and the profiles by
/// name. Read tolerantly, written conservatively:
/// - a profile this version cannot read is set aside in ``unreadable`` and written back as
///   it was; the other profiles stay usable (one damaged entry never locks out the rest);
/// - members this version does not know, of the file and of each profile, are kept;
/// - a file that is not JSON, or was written by a newer version, is refused as a whole
///   and never overwritten.
public struct CredentialsFile: Sendable {
    /// The file format this version writes; a newer one is refused, never overwritten.
    public static let currentVersion = 1
    /// The file's format version.
    public var version: Int
    /// The profile used when none is named (set by `login`, changed by `switch`).
    public var current: String?
    /// The usable profiles by name (secrets of `secret-service` ones opened only on use).
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

    /// A file with these profiles (tests and the store build them).
    public init(version: Int = CredentialsFile.currentVersion, current: String? = nil, profiles: [String: StoredProfile] = [:]) {
        self.version = version
        self.current = current
        self.profiles = profiles
        self.unreadable = [:]
    }

    /// Removes a profile, readable or not; returns whether it existed.
    public mutating func remove(_ name: String) -> Bool {
        let existed = [
            profiles.removeValue(forKey: name) != nil, unreadable.removeValue(forKey: name) != nil,
            sealed.removeValue(forKey: name) != nil,
        ].contains(true)
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

extension CredentialsFile {
    /// Largest file read: thousands of profiles fit; anything bigger is not ours.
    package static let maxFileSize = 4 << 20

    /// Parses file contents. A file this version cannot read as a whole is an error, never
    /// "empty", so a save can never silently drop what it did not understand.
    package static func decode(_ data: Data, path: String) throws(PDSAuthError) -> CredentialsFile {
        guard data.count <= maxFileSize, let top = try? decoder().decode(TopLevel.self, from: data) else {
            throw PDSAuthError(
                .credentialsCorrupt, "The credentials file is not a JSON object pds-auth can read; it will not be overwritten",
                details: ["path": path])
        }
        // Nothing pds-auth writes nests more than a few levels; a file nested past what
        // JSONEncoder writes back would make every save fail, so it is not read.
        let nesting = max(top.members.values.lazy.map(\.depth).max() ?? 0, 1 + (top.profiles.values.lazy.map(\.raw.depth).max() ?? 0))
        guard nesting < JSONValue.maxDepth else {
            throw PDSAuthError(
                .credentialsCorrupt,
                "The credentials file nests values more than \(JSONValue.maxDepth) levels deep, which pds-auth never writes; it will not be overwritten",
                details: ["path": path])
        }
        var members = top.members
        guard case .integer(let version)? = members.removeValue(forKey: "version"), version >= 1 else {
            throw PDSAuthError(
                .credentialsCorrupt, "The credentials file has no valid format version; it will not be overwritten", details: ["path": path])
        }
        guard version <= currentVersion else {
            throw PDSAuthError(
                .credentialsNewer, "The credentials file was written by a newer pds-auth (format \(version)); this version will not overwrite it",
                details: ["path": path])
        }
        var file = CredentialsFile(version: Int(version))
        if case .string(let current)? = members.removeValue(forKey: "current") { file.current = current }
        for (name, entry) in top.profiles {
            file.rawProfiles[name] = entry.raw
            switch entry.profile {
            case .usable(let profile):
                file.profiles[name] = profile
                file.original[name] = profile
            case .sealed(let sealed):
                file.sealed[name] = sealed
            case .unusable(let reason):
                file.unreadable[name] = reason.text
            }
        }
        file.rawExtras = members
        return file
    }

    /// The file's top level in one pass: `profiles` entry by entry, everything else raw.
    private struct TopLevel: Decodable {
        var members: [String: JSONValue] = [:]
        var profiles: [String: ProfileEntry] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for key in container.allKeys {
                if key.stringValue == "profiles" {
                    profiles = try container.decode([String: ProfileEntry].self, forKey: key)
                } else {
                    members[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
                }
            }
        }
    }

    /// One profile, both as raw JSON (to write back) and decoded (to use), from the same
    /// parse; a profile that does not decode keeps only its raw form and the reason.
    private struct ProfileEntry: Decodable {
        enum Decoded {
            case usable(StoredProfile)
            /// Its secrets are in the Secret Service.
            case sealed(SealedProfile)
            case unusable(Reason)
        }

        var raw: JSONValue
        var profile: Decoded

        init(from decoder: any Decoder) throws {
            raw = try JSONValue(from: decoder)
            do throws(Reason) {
                if let sealed = try SealedProfile.decode(raw) {
                    profile = .sealed(sealed)
                    return
                }
            } catch {
                profile = .unusable(error)
                return
            }
            do {
                let profile = try StoredProfile(from: decoder)
                self.profile = profile.problem.map { .unusable(Reason(text: $0)) } ?? .usable(profile)
            } catch {
                profile = .unusable(Reason(text: CredentialsFile.reason(error)))
            }
        }
    }

    struct Reason: Error { var text: String }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Which member could not be read, without echoing its (possibly secret) value.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it cannot be decoded" }
        switch error {
        case .keyNotFound(let key, _): return "it has no \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "it cannot be decoded" : "its \(path) cannot be read"
        @unknown default: return "it cannot be decoded"
        }
    }

    /// The file's bytes: pretty-printed JSON with sorted keys and a final newline.
    package func encoded() -> Data {
        var members = rawExtras
        members["version"] = .integer(Int64(version))
        if let current { members["current"] = .string(current) }
        var entries: [String: JSONValue] = [:]
        for name in Set(unreadable.keys).union(sealed.keys) { entries[name] = rawProfiles[name] }
        for (name, profile) in profiles { entries[name] = encoded(profile, name: name) }
        members["profiles"] = .object(entries)
        // Encoding plain Codable values with string keys cannot fail.
        var data = try! Self.encoder().encode(JSONValue.object(members))
        data.append(0x0A)
        return data
    }

    /// An untouched profile exactly as read; a changed one with the members this version
    /// does not know carried over.
    private func encoded(_ profile: StoredProfile, name: String) -> JSONValue {
        if let raw = rawProfiles[name], original[name] == profile { return raw }
        // Encoding and reading back our own Codable values cannot fail.
        var members = (try! JSONDecoder().decode(JSONValue.self, from: Self.encoder().encode(profile))).members ?? [:]
        for (key, value) in rawProfiles[name]?.members ?? [:] where !StoredProfile.knownKeys.contains(key) {
            members[key] = value
        }
        // Kept in the Secret Service: the file holds which item, never the secrets.
        if profile.secretStore == .secretService {
            for key in StoredProfile.secretKeys { members[key] = nil }
        }
        return .object(members)
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = StoredDate.decode(text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "Expected an ISO 8601 date, not \(text.prefix(40))"))
            }
            return date
        }
        return decoder
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
