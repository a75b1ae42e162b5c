/// A completed sign-in: the saved profile and where it went.
public struct LoginResult: Sendable {
    /// The name the profile was saved as.
    public var profileName: String
    /// The profile as saved, tokens included.
    public var profile: StoredProfile
    /// The credentials file it was saved in.
    public var credentialsPath: String

    /// A result with these values.
    public init(profileName: String, profile: StoredProfile, credentialsPath: String) {
        self.profileName = profileName
        self.profile = profile
        self.credentialsPath = credentialsPath
    }
}
