import FoundationEssentials

/// How secrets and untrusted text appear anywhere but where the user asked for them.
package enum Redaction {
    /// Scheme, host, port and path only: queries may carry codes or tokens.
    package static func url(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.fragment = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? "(url)"
    }

    /// Enough of the start and end to tell two tokens apart, never enough to use one.
    package static func mask(_ secret: String) -> String {
        guard secret.count > 16 else { return String(repeating: "•", count: 8) }
        return "\(secret.prefix(6))…\(secret.suffix(4))"
    }

    /// Text from the network, a file or the browser, made safe for a terminal: C0 and C1
    /// control characters (and so the introducers of ANSI/OSC escape sequences), DEL, and
    /// Unicode format and separator characters (bidi overrides such as U+202E, zero-width
    /// characters, U+2028/U+2029) are removed, and the length is bounded.
    package static func terminalSafe(_ text: some StringProtocol, limit: Int = 300) -> String {
        var kept = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars where isShowable(scalar) {
            guard count < limit else {
                kept.append("…")
                break
            }
            kept.append(scalar)
            count += 1
        }
        return String(kept)
    }

    /// Multi-line text (an error page, a non-JSON answer) for a terminal: as `terminalSafe`,
    /// but line breaks and tabs are kept, and there is no length bound.
    package static func terminalSafeText(_ text: some StringProtocol) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 == "\n" || $0 == "\t" || isShowable($0) }))
    }

    static func isShowable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control, .surrogate: return false
        default: return true
        }
    }
}

extension StringProtocol {
    /// Drops leading and trailing white space and line breaks (FoundationEssentials has no
    /// CharacterSet-based trimming).
    package func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
