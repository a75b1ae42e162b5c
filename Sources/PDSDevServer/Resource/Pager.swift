/// One page of a PDS list API: `limit` items from `marker` on, and the `next_marker` that
/// continues, empty on the last page (PDS API reference, list APIs).
struct Pager: Sendable {
    /// PDS list APIs: `limit` is 1-100, default 100.
    static let limits = 1...100

    let markers: ListMarkers

    /// `limit` from the body, checked before anything is looked up.
    static func limit(_ body: JSONObject) throws(PDSError) -> Int {
        let refusal = PDSError(.limit, "limit must be a whole number from \(limits.lowerBound) to \(limits.upperBound)")
        let limit: Int?
        do {
            limit = try body.integer("limit")
        } catch {
            throw refusal
        }
        guard let limit else { return limits.upperBound }
        guard limits.contains(limit) else { throw refusal }
        return limit
    }

    /// The page of `items` that `marker` (from the body) starts, for the listing named
    /// `listing` (which binds markers to it).
    func page<Item>(_ items: [Item], limit: Int, marker: String?, listing: String) throws(PDSError) -> (items: [Item], nextMarker: String) {
        var start = 0
        if let marker {
            // A marker is only ever issued pointing inside the list: an offset at or past
            // the end cannot come from this server.
            guard let offset = markers.offset(of: marker, listing: listing), offset > 0, offset < items.count else {
                throw PDSError(.marker, "marker was not issued by this server for this list; start again without one")
            }
            start = offset
        }
        let end = min(start + limit, items.count)
        let next = end < items.count ? markers.make(offset: end, listing: listing) : ""
        return (Array(items[start..<end]), next)
    }
}
