import Foundation
import PDSAuth

// Usage: StoreWriter DIRECTORY
// Saves profile "p" over and over with a growing counter and a large token (so each write
// takes a while), until killed. The SIGKILL test checks the file between kills.
let directory = CommandLine.arguments[1]
let store = CredentialStore(directory: directory)
let endpoints = try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:1", domainID: nil)
var counter = 0
while true {
    counter += 1
    let token = "token-\(counter)-" + String(repeating: "x", count: 200_000 + counter % 1000)
    let profile = StoredProfile(grant: .authorizationCode, endpoints: endpoints, domainID: "d", clientID: "c", clientSecret: nil,
                                redirectURI: nil, scope: nil, caBundlePath: nil, accessToken: token, refreshToken: "r\(counter)",
                                tokenType: "Bearer", expiresAt: nil, obtainedAt: Date(), user: nil)
    try await store.save(profile, as: "p")
    print(counter)
}
