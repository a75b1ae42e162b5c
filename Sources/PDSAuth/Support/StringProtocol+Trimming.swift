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
