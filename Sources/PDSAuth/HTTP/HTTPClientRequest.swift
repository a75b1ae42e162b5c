#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One outbound request. Bodies are bytes already encoded (see `FormEncoding`).
public struct HTTPClientRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", delete = "DELETE" }

    public var method: Method
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: Method, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
