import FoundationEssentials

/// Every JSON document pds-auth prints follows the same rules (README "JSON output"): keys
/// sorted, numbers as numbers, times as RFC 3339 strings in UTC, nothing truncated, no
/// escaped slashes; pretty-printed on a terminal, one line otherwise.
enum JSONOutput {
    static func text(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, numbers and dates cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
