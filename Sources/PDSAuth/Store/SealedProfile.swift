import FoundationEssentials

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
              SecretPayload.isIdentifier(id), SecretPayload.isIdentifier(generation) else {
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
