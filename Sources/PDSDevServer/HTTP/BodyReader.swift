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

/// The JSON object a PDS resource API takes as its body (`{}` when there is nothing to
/// send), with typed access to its members. As for form fields (RFC 6749 §3.1), members this
/// server does not know are ignored, and `null` or an empty string counts as absent.
struct JSONObject: Sendable, Equatable {
    private let members: [String: JSONValue]

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// The string member `name`; nil when absent, null or empty.
    func string(_ name: String) throws(PDSError) -> String? {
        switch members[name] {
        case nil, .null: return nil
        case .string(let value): return value.isEmpty ? nil : value
        default: throw PDSError(.invalid, "The parameter \(name) must be a string")
        }
    }

    /// The whole-number member `name`; nil when absent or null. Anything else (a string, a
    /// fraction, a number beyond `Int`) is refused.
    func integer(_ name: String) throws(PDSError) -> Int? {
        switch members[name] {
        case nil, .null:
            return nil
        case .number(let value):
            guard let integer = Int(exactly: value) else { throw PDSError(.invalid, "The parameter \(name) must be a whole number") }
            return integer
        default:
            throw PDSError(.invalid, "The parameter \(name) must be a number")
        }
    }
}

/// Any JSON value (RFC 8259 §3), so a resource request body can be read as an object whose
/// members are checked one by one: a member of the wrong type is reported by name instead
/// of failing the whole body.
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
