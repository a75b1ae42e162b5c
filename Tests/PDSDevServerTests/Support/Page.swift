import Foundation
import Hummingbird
import HummingbirdTesting
@testable import PDSDevServer

/// Reads what a browser would from pages and redirects.
enum Page {
    static func pendingID(in html: String) throws -> String {
        let match = try #/name="request_id" value="([^"]+)"/#.firstMatch(in: html).unwrap("request_id in the consent page")
        return String(match.1)
    }

    /// The query of the `Location` of a redirect.
    static func redirectParameters(_ response: TestResponse) throws -> FormFields {
        let location = try response.headers[.location].unwrap("Location header")
        let query = try location.split(separator: "?", maxSplits: 1).dropFirst().first.unwrap("query in \(location)")
        return try FormFields(encoded: String(query)).unwrap("parsable query")
    }
}
