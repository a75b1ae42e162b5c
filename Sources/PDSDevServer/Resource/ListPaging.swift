import Crypto
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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

/// The `marker` / `next_marker` of PDS list APIs (PDS API reference: a list answers
/// `next_marker`, which the next call sends as `marker`). Opaque to clients: the position
/// of the next item, authenticated with a key only this server holds and bound to the
/// listing it belongs to, so a garbled marker, one from another folder, drive or user, or
/// one from another server is refused rather than silently starting somewhere else.
struct ListMarkers: Sendable {
    private let key: SymmetricKey

    /// A fresh random key per server: markers do not outlive it, as PDS markers need not.
    init() {
        key = SymmetricKey(size: .bits256)
    }

    /// base64url of the offset (4 bytes, big-endian) followed by its HMAC-SHA256 over the
    /// listing and the offset.
    func make(offset: Int, listing: String) -> String {
        let position = Self.bytes(of: UInt32(offset))
        return Base64URL.encode(position + Array(mac(position, listing: listing)))
    }

    /// The offset a marker stands for; nil when this server did not issue it for `listing`.
    func offset(of marker: String, listing: String) -> Int? {
        guard let data = Base64URL.decode(marker), data.count == 4 + SHA256.byteCount else { return nil }
        let position = Array(data.prefix(4))
        let code = Array(data.dropFirst(4))
        guard HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.message(position, listing: listing), using: key) else {
            return nil
        }
        return position.reduce(0) { $0 << 8 | Int($1) }
    }

    private func mac(_ position: [UInt8], listing: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Self.message(position, listing: listing), using: key)
    }

    /// The listing and the position, separated by a byte no listing name contains.
    private static func message(_ position: [UInt8], listing: String) -> [UInt8] {
        Array(listing.utf8) + [0] + position
    }

    private static func bytes(of value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}

/// The answer of a PDS list API: the page under `items` and `next_marker`, empty when this
/// was the last page (PDS API reference, list APIs).
struct ListResponseBody<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    var items: [Item]
    var nextMarker: String

    enum CodingKeys: String, CodingKey {
        case items
        case nextMarker = "next_marker"
    }
}
