import FoundationEssentials
import PDSAuth

/// Every JSON document pds-auth prints follows the same rules (README "JSON output"): keys
/// sorted, numbers as numbers, times as RFC 3339 strings in UTC, nothing truncated, no
/// escaped slashes; pretty-printed on a terminal, one line otherwise. On a terminal, every
/// character inside strings that a terminal could act on (C0 and C1 controls, DEL, bidi
/// overrides and other format characters, which names and claims from a server or a file
/// may hold) is written as a `\uXXXX` escape: the same JSON value, safe to show.
enum JSONOutput {
    static func text(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, numbers and dates cannot fail.
        let compact = try! encoder.encode(value)
        guard pretty else { return String(decoding: compact, as: UTF8.self) }
        // What JSONEncoder wrote is JSON: JSONText reads it back.
        return JSONText(compact)!.prettyForTerminal
    }
}
