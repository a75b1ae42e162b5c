import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PDSDevServer

/// Reads what a browser would from pages and redirects.
enum Page {
    static func pendingID(in html: String) throws -> String {
        let match = try #require(try #/name="request_id" value="([^"]+)"/#.firstMatch(in: html), "request_id in the consent page")
        return String(match.1)
    }

    /// The query of the `Location` of a redirect.
    static func redirectParameters(_ response: TestResponse) throws -> FormFields {
        let location = try #require(response.headers[.location], "Location header")
        let query = try #require(location.split(separator: "?", maxSplits: 1).dropFirst().first, "query in \(location)")
        return try #require(FormFields(encoded: String(query)), "parsable query")
    }
}
