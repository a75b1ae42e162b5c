#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an authorization code stands for (RFC 6749 §4.1.2: bound to the client and the
/// redirect URI; RFC 7636 §4.4: to the code challenge).
struct AuthorizationCode: Sendable {
    var grant: Grant
    var redirectURI: String
    var codeChallenge: String?
    var expiresAt: Date
}
