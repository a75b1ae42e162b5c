/// PDS list APIs page with `marker` in the request and `next_marker` in the answer (empty
/// when done), the items under `items` (PDS API reference, e.g. `/v2/file/list`). This
/// follows the markers and collects the items, byte for byte as the server sent them —
/// within bounds, since the server decides how long the list is: at most ``Limits/maxPages``
/// pages, ``Limits/maxItemBytes`` of items in all, markers of at most
/// ``Limits/maxMarkerBytes``, and never the same marker twice. Past any of them the whole
/// command fails (`invalidResponse`) and nothing has been printed.
package enum Pagination {
    package struct Limits: Sendable {
        /// Pages followed at most: 10,000 pages of 100 hold a million entries.
        package var maxPages = 10_000
        /// The items collected at most (256 MiB): their JSON text plus ``itemCost`` for each,
        /// what keeping one costs beyond its text, so pages of tiny items (`0,0,0,…`) are
        /// bounded in memory as much as pages of big ones.
        package var maxItemBytes = 256 << 20
        /// A `next_marker` longer than this is no marker (PDS markers are short tokens).
        package var maxMarkerBytes = 8 << 10

        package static let standard = Limits()

        /// Bytes counted for each item on top of its text. Items are kept compactly (their
        /// texts in one buffer, 8 bytes for where each ends: ``Items``), so this overstates
        /// what one costs; it keeps the budget a bound on the item count too (4M at most),
        /// which bounds the work of printing them.
        package static let itemCost = 64

        package init(maxPages: Int = 10_000, maxItemBytes: Int = 256 << 20, maxMarkerBytes: Int = 8 << 10) {
            self.maxPages = maxPages
            self.maxItemBytes = maxItemBytes
            self.maxMarkerBytes = maxMarkerBytes
        }
    }

    /// What following the list produced.
    package enum Outcome: Sendable {
        /// Every page's items in order, and each page's response without its body (for
        /// `--include`).
        case items(Items, pages: [HTTPClientResponse])
        /// The first answer was not a list page (no `items` array): it is passed through
        /// unchanged, as `gh api --paginate` does for answers it cannot page through.
        case notAList(HTTPClientResponse)
    }

    /// Sends `request`, then one request per `next_marker`, and collects the items. A non-2xx
    /// answer on any page throws that page's error.
    package static func collect(
        _ client: APIClient, _ request: APIRequest, profile name: String,
        limits: Limits = .standard
    ) async throws(PDSAuthError) -> Outcome {
        var items = Items()
        var pages: [HTTPClientResponse] = []
        var current = request
        var seen: Set<String> = []
        while pages.count < limits.maxPages {
            let response = try await client.send(current, profile: name)
            guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: current) }
            pages.append(HTTPClientResponse(status: response.status, headerFields: response.headerFields, body: .init()))
            let next: String
            switch try page(Array(response.body), number: pages.count, into: &items, limits: limits) {
            case .notAList: return .notAList(response)
            case .last: return .items(items, pages: pages)
            case .next(let marker): next = marker
            }
            guard seen.insert(next).inserted else {
                throw PDSAuthError(.invalidResponse, "The server sent the same next_marker twice; the list would never end")
            }
            current.body = try body(request.body, marker: next)
        }
        throw PDSAuthError(.invalidResponse, "The list did not end within \(limits.maxPages) pages; nothing was printed")
    }

    /// The request body with `marker` set to `marker` (added, or replacing one given).
    package static func body(_ body: [UInt8]?, marker: String) throws(PDSAuthError) -> [UInt8] {
        let json = JSONText(body ?? Array("{}".utf8))
        guard let json, json.isObject else {
            throw PDSAuthError(.invalidRequest, "--paginate needs a JSON object body (the list API's parameters)")
        }
        var members = json.members.filter { $0.key != "marker" }.map { "\(quoted($0.key)):\(String(decoding: json.bytes[$0.value], as: UTF8.self))" }
        members.append("\"marker\":\(quoted(marker))")
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// Where a page leaves the list.
    enum PageEnd: Equatable {
        /// The first answer is not a list page at all (no `items` member).
        case notAList
        case last
        case next(String)
    }

    /// Appends one page's items (raw JSON values) to `items`, counting each against the
    /// budget as it goes, so a page of millions of tiny items stops at the budget instead of
    /// being held whole first; returns the marker of the next page, if any.
    static func page(_ body: [UInt8], number: Int, into items: inout Items, limits: Limits) throws(PDSAuthError) -> PageEnd {
        guard let json = JSONText(body), json.isObject, let raw = json.member("items") else {
            if number == 1 { return .notAList }
            throw PDSAuthError(.invalidResponse, "A later page of the list has no items array; it cannot be followed")
        }
        guard let list = JSONText(raw), list.isArray else { throw PDSAuthError(.invalidResponse, "A page's items are not a JSON array") }
        let complete = list.forEachElement { item in
            guard items.cost + item.count + Limits.itemCost <= limits.maxItemBytes else { return false }
            items.append(item)
            return true
        }
        guard complete else {
            throw PDSAuthError(
                .invalidResponse, "The list's items exceed \(limits.maxItemBytes >> 20) MiB after \(number) pages; nothing was printed")
        }
        guard let marker = json.member("next_marker") else { return .last }
        guard marker.count <= limits.maxMarkerBytes else {
            throw PDSAuthError(.invalidResponse, "The server's next_marker is longer than \(limits.maxMarkerBytes) bytes; it cannot be followed")
        }
        var scanner = JSONScanner(marker)
        guard let text = scanner.string(), !text.isEmpty else { return .last }
        return .next(text)
    }

    /// Every item collected, kept compactly: their texts one after another in one buffer, and
    /// where each ends (an array per item would cost a heap object each, tens of bytes for an
    /// item of one).
    package struct Items: RandomAccessCollection, Sendable {
        private(set) var bytes: [UInt8] = []
        private(set) var ends: [Int] = []

        /// What the items count against the budget: their text and ``Limits/itemCost`` each.
        var cost: Int { bytes.count + ends.count * Limits.itemCost }

        package var startIndex: Int { 0 }
        package var endIndex: Int { ends.count }
        package subscript(position: Int) -> ArraySlice<UInt8> {
            bytes[(position == 0 ? 0 : ends[position - 1])..<ends[position]]
        }

        mutating func append(_ item: ArraySlice<UInt8>) {
            bytes += item
            ends.append(bytes.count)
        }
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
