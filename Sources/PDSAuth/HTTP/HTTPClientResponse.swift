#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A completed exchange: status, headers (names lower-cased, last value wins) and body.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public subscript(header name: String) -> String? { headers[name.lowercased()] }
}
