import Foundation
import PDSAuth

// Usage: StoreWriter DIRECTORY [SAVES]
// Saves profile "p" over and over (SAVES times, or until killed) with a growing counter in
// both tokens, so a reader can tell whether the file holds one whole save. The atomicity
// tests kill it at chosen system calls (strace) and at random moments.
let directory = CommandLine.arguments[1]
let saves = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? Int.max : Int.max
let store = CredentialStore(directory: directory)
let endpoints = try ProviderEndpoints.resolve(endpoint: "http://127.0.0.1:1", domainID: nil)
var counter = 0
while counter < saves {
    counter += 1
    let token = "token-\(counter)-" + String(repeating: "x", count: 8000 + counter % 1000)
    let profile = StoredProfile(
        grant: .authorizationCode, endpoints: endpoints, domainID: "d", clientID: "c", clientSecret: nil,
        redirectURI: nil, scope: nil, caBundlePath: nil, accessToken: token, refreshToken: "r\(counter)",
        tokenType: "Bearer", expiresAt: nil, obtainedAt: Date(), user: nil)
    try await store.save(profile, as: "p")
}
