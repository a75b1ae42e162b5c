#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated authorize request waiting for the user's decision on the consent page. The
/// page carries only an opaque id; everything the decision acts on stays here, so a forged
/// form cannot change the client, redirect URI or PKCE challenge.
struct PendingAuthorization: Sendable {
    var app: DevApp
    var redirectURI: String
    var state: String?
    var scopes: [String]
    /// RFC 7636 §4.3: the S256 challenge, bound to the code that approval issues.
    var codeChallenge: String?
    var expiresAt: Date
}
