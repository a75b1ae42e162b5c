import Foundation
import Hummingbird
import HummingbirdTesting

@testable import PDSDevServer

extension TestResponse {
    var bodyText: String {
        String(buffer: body)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(bodyText.utf8))
    }

    /// The PDS error body.
    var pdsError: PDSErrorBody? {
        try? decode(PDSErrorBody.self)
    }

    func header(_ name: String) -> String? {
        headers.value(name)
    }
}
