/// RFC 8252 §7.3: for loopback IP redirect URIs, the port is chosen by the native app at
/// request time, so a server may ignore it when comparing against the registration.
enum LoopbackRedirect {
    /// True when both are `http://` loopback-IP URIs equal except for the port.
    static func samePortless(_ registered: String, _ requested: String) -> Bool {
        guard let a = parts(registered), let b = parts(requested) else { return false }
        return a.host == b.host && a.rest == b.rest
    }

    private static func parts(_ uri: String) -> (host: String, rest: Substring)? {
        guard uri.hasPrefix("http://") else { return nil }
        let afterScheme = uri.dropFirst("http://".count)
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? authority
        }
        // Only IP literals: RFC 8252 §8.3 discourages `localhost` redirects.
        guard host == "[::1]" || host.hasPrefix("127.") else { return nil }
        return (String(host), afterScheme[authorityEnd...])
    }
}
