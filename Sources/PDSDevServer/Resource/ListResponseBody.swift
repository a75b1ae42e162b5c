/// The answer of a PDS list API: the page under `items` and `next_marker`, empty when this
/// was the last page (PDS API reference, list APIs).
struct ListResponseBody<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    var items: [Item]
    var nextMarker: String

    enum CodingKeys: String, CodingKey {
        case items, nextMarker = "next_marker"
    }
}
