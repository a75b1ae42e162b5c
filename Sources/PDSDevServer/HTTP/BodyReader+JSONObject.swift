import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BodyReader {
    /// The body of a PDS resource API call: `Content-Type: application/json` and a JSON
    /// object (PDS API reference: every resource API is a `POST` with a JSON body, `{}`
    /// when there is nothing to send). Bounded like every body (64 KiB, 413 beyond).
    static func jsonObject(_ request: Request, context: DevServerRequestContext) async throws(PDSError) -> JSONObject {
        guard mediaType(request) == "application/json" else {
            throw PDSError(.contentType, "The body must be application/json")
        }
        let buffer = try await bytes(request, context: context)
        guard let members = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer.readableBytesView)) else {
            throw PDSError(.invalid, "The request body must be a JSON object")
        }
        return JSONObject(members)
    }
}
