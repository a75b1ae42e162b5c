/// `application/x-www-form-urlencoded` bodies and query strings (RFC 6749 Appendix B, the
/// WHATWG URL standard §5). Names and values are encoded leaving only RFC 3986 unreserved
/// characters as they are, so a secret holding `+`, `&` or `=` survives the trip (Foundation's
/// `URLComponents` leaves `+` alone in queries, which a form decoder reads as a space).
///
/// Decoding is lenient and total, because its input is untrusted and only ever compared or
/// bounded afterwards: `+` is a space, `%XX` a byte, a `%` not followed by two hex digits
/// stays as it is, and bytes that are not UTF-8 become U+FFFD.
package enum FormEncoding {
    package static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    package static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `a=1&b=2` as pairs in order; empty pairs are skipped, a name without `=` has value "".
    ///
    /// Splits on the bytes `&` and `=`, as every server does. Splitting the `String` would
    /// compare grapheme clusters, and `&` followed by a combining mark (U+0335) is one
    /// cluster that is not `&`: the same query would then mean one thing here and another
    /// to the provider (found by the PastedAnswer fuzzer).
    package static func decode(_ text: some StringProtocol) -> [(String, String)] {
        Substring(text).utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(Substring(parts[0])), parts.count > 1 ? unescape(Substring(parts[1])) : "")
        }
    }

    static func unescape(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3986 §2.3: `ALPHA / DIGIT / "-" / "." / "_" / "~"`, also the PKCE alphabet.
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
