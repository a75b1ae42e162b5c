import Foundation
import PDSAuth

extension StoredProfile {
    /// A signed-in authorization-code profile for tests: client `c` with no secret, a Bearer
    /// token, and the endpoint, domain, tokens and times the test names.
    package static func fixture(
        endpoint: String, domainID: String? = "dev", redirectURI: String? = nil,
        accessToken: String, refreshToken: String? = "r", tokenType: String? = "Bearer",
        expiresAt: Date? = Date(timeIntervalSinceNow: 3600), obtainedAt: Date = Date()
    ) throws -> StoredProfile {
        StoredProfile(
            grant: .authorizationCode, endpoints: try ProviderEndpoints.resolve(endpoint: endpoint, domainID: nil),
            domainID: domainID, clientID: "c", clientSecret: nil, redirectURI: redirectURI, scope: nil, caBundlePath: nil,
            accessToken: accessToken, refreshToken: refreshToken, tokenType: tokenType,
            expiresAt: expiresAt, obtainedAt: obtainedAt, user: nil)
    }
}
