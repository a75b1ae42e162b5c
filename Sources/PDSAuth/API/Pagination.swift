/// PDS list APIs page with `marker` in the request and `next_marker` in the answer (empty
/// when done), the items under `items` (PDS API reference, e.g. `/v2/file/list`). This
/// follows the markers and collects the items, byte for byte as the server sent them.
public enum Pagination {
    /// Pages followed at most: a server that never ends its list is an error, not a loop.
    public static let maxPages = 10_000

    /// The request body with `marker` set to `marker` (added, or replacing one given).
    public static func body(_ body: [UInt8]?, marker: String) throws(PDSAuthError) -> [UInt8] {
        let json = JSONText(body ?? Array("{}".utf8))
        guard let json, json.isObject else {
            throw PDSAuthError(.invalidRequest, "--paginate needs a JSON object body (the list API's parameters)")
        }
        var members = json.members.filter { $0.key != "marker" }.map { "\(quoted($0.key)):\(String(decoding: json.bytes[$0.value], as: UTF8.self))" }
        members.append("\"marker\":\(quoted(marker))")
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// One page's items (raw JSON values) and the marker of the next page, if any.
    public static func page(_ body: [UInt8]) throws(PDSAuthError) -> (items: [[UInt8]], next: String?) {
        guard let json = JSONText(body), json.isObject else {
            throw PDSAuthError(.invalidResponse, "A page of the list is not a JSON object; it cannot be followed")
        }
        let items = try json.member("items").map { raw throws(PDSAuthError) -> [[UInt8]] in
            guard let elements = JSONText(raw)?.elements else { throw PDSAuthError(.invalidResponse, "A page's items are not a JSON array") }
            return elements
        } ?? []
        guard let marker = json.member("next_marker") else { return (items, nil) }
        var scanner = JSONScanner(marker)
        guard let text = scanner.string() else { return (items, nil) }
        return (items, text.isEmpty ? nil : text)
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
