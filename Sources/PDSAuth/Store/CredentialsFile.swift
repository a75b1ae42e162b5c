#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The whole credentials file: a format version and the profiles by name.
public struct CredentialsFile: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public var version: Int
    public var profiles: [String: StoredProfile]

    public init(version: Int = CredentialsFile.currentVersion, profiles: [String: StoredProfile] = [:]) {
        self.version = version
        self.profiles = profiles
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// Parses file contents; a file this version cannot read is an error, never "empty",
    /// so a save can never silently drop profiles it did not understand.
    public static func decode(_ data: Data, path: String) throws(PDSAuthError) -> CredentialsFile {
        let file: CredentialsFile
        do {
            file = try decoder().decode(CredentialsFile.self, from: data)
        } catch {
            throw PDSAuthError(.credentialStore, code: "corrupt_credentials", "The credentials file cannot be read",
                               hint: "Move it aside and sign in again; pds-auth will not overwrite it.", context: ["path": path])
        }
        guard file.version <= currentVersion else {
            throw PDSAuthError(.credentialStore, code: "newer_credentials", "The credentials file was written by a newer pds-auth (format \(file.version))",
                               hint: "Upgrade pds-auth; this version will not overwrite it.", context: ["path": path])
        }
        return file
    }

    public func encoded() -> Data {
        // Encoding plain Codable values with string keys cannot fail.
        var data = try! Self.encoder().encode(self)
        data.append(0x0A)
        return data
    }
}
