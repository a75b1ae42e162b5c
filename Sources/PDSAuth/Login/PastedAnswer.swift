/// What a user pasted into the terminal when their browser could not reach this machine's
/// loopback listener (SSH sessions, containers): the full URL the browser ended on, just its
/// query, or only the authorization code. The text is untrusted and bounded like a redirect.
package enum PastedAnswer: Sendable, Equatable {
    /// A URL or query carrying the redirect's parameters; its `state` is checked as usual.
    case redirect(CallbackParameters)
    /// A bare code. It carries no `state`, but it was typed into this process's own
    /// terminal, which no web page can do: `state` defends against a forged browser
    /// redirect (RFC 6749 §10.12), not against the user.
    case code(String)

    /// Nil when the text is empty, too long, or neither a redirect nor a plausible code.
    package static func parse(_ text: some StringProtocol) -> PastedAnswer? {
        let trimmed = Substring(text.trimmed())
        guard !trimmed.isEmpty, trimmed.utf8.count <= CallbackParameters.maxQueryLength else { return nil }
        if let query = query(of: trimmed) {
            guard let parameters = CallbackParameters(query: query), parameters.isRedirect else { return nil }
            return .redirect(parameters)
        }
        return isPlausibleCode(trimmed) ? .code(String(trimmed)) : nil
    }

    /// The query part of a pasted URL (`…?a=1#frag`), or the text itself when it is already
    /// a query (`code=…&state=…`); nil for anything else.
    ///
    /// Looks for the bytes `?`, `#` and `=` as a URL parser does, not for `Character`s: `?`
    /// followed by a combining mark is a single grapheme cluster that is not `?`.
    static func query(of text: Substring) -> Substring? {
        let bytes = text.utf8
        if let mark = bytes.firstIndex(of: UInt8(ascii: "?")) {
            return untilFragment(Substring(bytes[bytes.index(after: mark)...]))
        }
        if bytes.contains(UInt8(ascii: "=")) { return untilFragment(text) }
        return nil
    }

    private static func untilFragment(_ text: Substring) -> Substring {
        Substring(text.utf8.prefix { $0 != UInt8(ascii: "#") })
    }

    /// Codes are opaque but printable ASCII without spaces (RFC 6749 Appendix A.11: VSCHAR),
    /// and far shorter than a query.
    static func isPlausibleCode(_ text: Substring) -> Bool {
        text.utf8.count <= CallbackParameters.maxValueLength
            && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
            && !text.contains("://")
    }
}
