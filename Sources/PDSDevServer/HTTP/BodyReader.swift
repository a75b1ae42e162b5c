import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads request bodies, never more than the context's `maxUploadSize` (64 KiB): nothing
/// this server accepts comes near it, and a bound keeps a misbehaving client from filling
/// memory.
enum BodyReader {
    static func bytes(_ request: Request, context: DevServerRequestContext) async throws(PDSError) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw PDSError(.tooLarge, "The request body exceeds \(context.maxUploadSize) bytes")
        } catch {
            throw PDSError(.invalid, "The request body could not be read")
        }
    }

    /// An `application/x-www-form-urlencoded` body, the format of token requests (RFC 6749
    /// §4.1.3, Appendix B) and of HTML forms.
    static func form(_ request: Request, context: DevServerRequestContext) async throws(PDSError) -> FormFields {
        guard mediaType(request) == "application/x-www-form-urlencoded" else {
            throw PDSError(.contentType, "The body must be application/x-www-form-urlencoded (RFC 6749 §4.1.3)")
        }
        let buffer = try await bytes(request, context: context)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self), let fields = FormFields(encoded: text) else {
            throw PDSError(.invalid, "The body is not valid percent-encoded UTF-8")
        }
        return fields
    }

    /// A JSON body decoded as `type`; nil when it is not such JSON.
    static func json<T: Decodable>(_ type: T.Type, _ request: Request, context: DevServerRequestContext) async throws(PDSError) -> T? {
        let buffer = try await bytes(request, context: context)
        return try? JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    }

    /// The media type without parameters, lower-cased (RFC 9110 §8.3.1: case-insensitive).
    static func mediaType(_ request: Request) -> String? {
        request.headers[.contentType].map {
            $0.split(separator: ";", maxSplits: 1)[0].trimmingWhitespaces().lowercased()
        }
    }
}
