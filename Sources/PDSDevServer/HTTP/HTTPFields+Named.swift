import Hummingbird

extension HTTPFields {
    /// `HTTPField.Name`, reached through the collection's element type because Hummingbird
    /// re-exports `HTTPFields` but not `HTTPField`.
    typealias FieldName = HTTPFields.Element.Name

    /// Sets a header by its spelled-out name. The names used are constants valid under
    /// RFC 9110 §5.1; an invalid one is skipped rather than crashing a response.
    mutating func set(_ name: String, _ value: String) {
        guard let field = FieldName(name) else { return }
        self[field] = value
    }

    /// The value of the header spelled `name`.
    func value(_ name: String) -> String? {
        FieldName(name).flatMap { self[$0] }
    }
}

extension StringProtocol {
    /// Without leading and trailing tabs and Unicode space separators (Zs) or U+200B: what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` removes, which FoundationEssentials
    /// lacks. For header values (optional white space, RFC 9110 §5.6.3, and a little more).
    func trimmingWhitespaces() -> Substring {
        let scalars = Substring(self).unicodeScalars
        let isWhitespace = { (scalar: Unicode.Scalar) in
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        return Substring(scalars[first...last])
    }
}
