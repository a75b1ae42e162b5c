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
