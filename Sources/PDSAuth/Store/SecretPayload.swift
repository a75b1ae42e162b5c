import FoundationEssentials

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
              let stored = document.profile.secretGeneration, isIdentifier(stored), generation.map({ $0 == stored }) ?? true else { return nil }
        return document.profile
    }

    /// What names items: 16–64 base64url characters (`CredentialStore` makes 32 hex digits).
    static func isIdentifier(_ text: String) -> Bool {
        (16...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}
