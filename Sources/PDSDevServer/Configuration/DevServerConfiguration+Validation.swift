#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DevServerConfiguration {
    /// Checks what `init` cannot: the properties are mutable, so ``DevServer`` validates
    /// again before it listens.
    func validate() throws(DevServerError) {
        guard LoopbackHost.isLoopback(host) else { throw .nonLoopbackHost(host) }
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        guard !domainID.isEmpty else { throw .emptyDomainID }
        for (name, value) in [("accessTokenLifetime", accessTokenLifetime), ("codeLifetime", codeLifetime),
                              ("maxAssertionLifetime", maxAssertionLifetime)] where value <= 0 {
            throw .nonPositiveLifetime(name)
        }
        try validateUsers()
        try validateApps()
    }

    private func validateUsers() throws(DevServerError) {
        guard !users.isEmpty else { throw .noUsers }
        var seen: Set<String> = []
        for user in users {
            guard seen.insert(user.userID).inserted else { throw .duplicateUserID(user.userID) }
        }
    }

    private func validateApps() throws(DevServerError) {
        var seen: Set<String> = []
        for app in apps {
            guard !app.clientID.isEmpty else { throw .emptyClientID }
            guard seen.insert(app.clientID).inserted else { throw .duplicateClientID(app.clientID) }
            for uri in app.redirectURIs where !Self.isValidRedirectURI(uri) {
                throw .invalidRedirectURI(clientID: app.clientID, uri: uri)
            }
        }
    }

    /// RFC 6749 §3.1.2: absolute, no fragment. Only http(s): the dev server redirects a
    /// browser to it.
    static func isValidRedirectURI(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.fragment == nil, !uri.contains("#")
        else { return false }
        return true
    }
}
