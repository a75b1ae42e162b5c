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
