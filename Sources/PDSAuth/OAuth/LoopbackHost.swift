/// Which host names count as this machine's loopback interface (RFC 8252 §7.3, RFC 6890):
/// `localhost` (any case), 127.0.0.0/8 written as four decimal octets without leading zeros
/// (a leading zero means octal to some parsers, so `127.010.0.1` is refused rather than
/// guessed at), and `::1` in any spelling, with or without brackets. The dev server applies
/// the same rules in its own code; `Tests/Vectors/loopback-hosts.json` holds both to them.
package enum LoopbackHost {
    package static func isLoopback(_ host: String) -> Bool {
        let bare = unbracketed(host)
        if bare.lowercased() == "localhost" { return true }
        if let octets = ipv4(bare) { return octets[0] == 127 }
        if let groups = ipv6(bare) { return groups == [0, 0, 0, 0, 0, 0, 0, 1] }
        return false
    }

    package static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  part == "0" || !part.hasPrefix("0"), let octet = UInt8(part) else { return nil }
            octets.append(octet)
        }
        return octets
    }

    /// Eight 16-bit groups, expanding one `::`; embedded IPv4 forms are never loopback here.
    static func ipv6(_ text: String) -> [UInt16]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.utf8.count), let value = UInt16(group, radix: 16) else { return nil }
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
