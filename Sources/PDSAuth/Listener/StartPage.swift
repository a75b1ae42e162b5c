#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The local page the user opens first: what is being authorized, and the `login` link.
enum StartPage {
    static func render(_ config: LoginConfiguration, authorizeURL: URL, redirectURI: String, pages: PageRenderer) -> String {
        pages.render("start", [
            "clientID": config.clientID,
            "domain": config.domainID ?? config.endpoints.base.host ?? "",
            "scope": config.scope ?? "all (the app's default)",
            "provider": CurlClient.redacted(config.endpoints.authorizeURL),
            "redirectURI": redirectURI,
            "authorizeURL": authorizeURL.absoluteString,
            "profile": config.profileName,
        ])
    }
}
