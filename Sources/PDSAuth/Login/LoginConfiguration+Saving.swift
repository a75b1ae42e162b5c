import FoundationEssentials

extension LoginConfiguration {
    /// The profile a sign-in made (browser or device), saved under `profileName` and made
    /// current. Called only once the token endpoint has answered: nothing is written before.
    func save(_ response: TokenResponse, grant: StoredProfile.Grant, redirectURI: String?, receivedAt: Date) async throws(PDSAuthError) -> LoginResult {
        var profile = StoredProfile(grant: grant, endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: clientSecret,
                                    redirectURI: redirectURI, scope: scope, caBundlePath: rememberedCABundle, accessToken: response.accessToken,
                                    refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil)
        profile.apply(response, receivedAt: receivedAt)
        profile.user = StoredUser(response)
        if publicClient { profile.publicClient = true }
        profile.devServer = devServer
        profile.secretStore = try await store.save(profile, as: profileName, makeCurrent: true, secretStore: secretStore)
        return LoginResult(profileName: profileName, profile: profile, credentialsPath: store.filePath)
    }
}
