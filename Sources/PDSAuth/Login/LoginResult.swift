/// A completed sign-in: the saved profile and where it went.
public struct LoginResult: Sendable {
    public var profileName: String
    public var profile: StoredProfile
    public var credentialsPath: String

    public init(profileName: String, profile: StoredProfile, credentialsPath: String) {
        self.profileName = profileName
        self.profile = profile
        self.credentialsPath = credentialsPath
    }
}
