/// The fields of a query string or `application/x-www-form-urlencoded` body.
///
/// RFC 6749 §3.1 and §3.2: "Request and response parameters MUST NOT be included more than
/// once", so a repeated name is remembered and refused by the handlers rather than
/// resolved by picking one of the values. RFC 6749 §3.1 also says unknown parameters are
/// ignored, so nothing here rejects a name it does not know.
struct FormFields: Sendable {
    private var values: [String: String] = [:]
    private(set) var repeatedNames: Set<String> = []

    /// Nil when a name or value is not valid percent-encoded UTF-8.
    init?(encoded text: String) {
        // Bytes, not Characters: `&` followed by a combining mark is one grapheme cluster.
        for pair in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(Substring(parts[0])),
                let value = PercentDecoding.decode(parts.count > 1 ? Substring(parts[1]) : "")
            else { return nil }
            if values[name] != nil { repeatedNames.insert(name) }
            values[name] = value
        }
    }

    /// The value of `name`; an empty value counts as absent, as RFC 6749 §3.1 says
    /// "parameters sent without a value MUST be treated as if they were omitted".
    subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The first name in `names` that appears more than once.
    func firstRepeated(among names: [String]) -> String? {
        names.first { repeatedNames.contains($0) }
    }
}

/// Decoding of `application/x-www-form-urlencoded` names and values (WHATWG URL §5.1, the
/// format RFC 6749 Appendix B prescribes): `+` is a space and `%XX` a byte. Nil when a `%`
/// is not followed by two hex digits or the bytes are not UTF-8, so a malformed request is
/// refused instead of being guessed at.
enum PercentDecoding {
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
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

/// Encoding of query and form values for the redirects this server sends back to clients
/// (RFC 6749 Appendix B): everything but the RFC 3986 unreserved characters is
/// percent-encoded, so a `state` holding `&` or `#` cannot inject parameters.
enum FormEncoding {
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                output += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return output
    }

    /// RFC 3986 §2.3 unreserved characters (also the PKCE alphabet, RFC 7636 §4.1).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
