/// Which bind hosts count as loopback: `localhost`, 127.0.0.0/8 (RFC 1122 §3.2.1.3) and
/// `::1` in any spelling (RFC 4291 §2.5.3), with or without brackets.
enum LoopbackHost {
    static func isLoopback(_ host: String) -> Bool {
        let bare = unbracketed(host)
        if bare.lowercased() == "localhost" { return true }
        if let octets = ipv4(bare) { return octets[0] == 127 }
        if let groups = ipv6(bare) { return groups == [0, 0, 0, 0, 0, 0, 0, 1] }
        return false
    }

    /// The address to bind: `localhost` binds 127.0.0.1 so the name cannot resolve to an
    /// interface other than loopback; brackets are dropped.
    static func bindAddress(_ host: String) -> String {
        host.lowercased() == "localhost" ? "127.0.0.1" : unbracketed(host)
    }

    /// How the host appears in a URL: IPv6 literals in brackets (RFC 3986 §3.2.2).
    static func urlHost(_ host: String) -> String {
        let bare = unbracketed(host)
        return bare.contains(":") ? "[\(bare)]" : bare
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// Four decimal octets without leading zeros (a leading zero means octal to some parsers).
    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let octet = UInt8(part)
            else { return nil }
            octets.append(octet)
        }
        return octets
    }

    /// Eight 16-bit groups, expanding one `::`. Embedded IPv4 forms are not loopback
    /// and are not parsed.
    static func ipv6(_ text: String) -> [UInt16]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
