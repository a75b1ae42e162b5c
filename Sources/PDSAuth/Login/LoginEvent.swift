#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Progress a front end narrates while `LoginFlow` runs.
public enum LoginEvent: Sendable {
    /// The listener is up: send the user to `startURL` (which links to `authorizeURL`).
    case listening(startURL: String, authorizeURL: URL, redirectURI: String)
    /// A pasted line was not used; the sign-in keeps waiting. The text says why.
    case pasteRejected(String)
    /// A code arrived and is being exchanged at the token endpoint.
    case exchanging
}
