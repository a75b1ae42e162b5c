/// Any JSON value, kept only as far as a lenient decoder needs it: servers send ids as
/// numbers or strings, and a field of an unexpected type must not fail the whole response.
enum JSONScalar: Decodable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .string(text) }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .other }
    }

    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: String(Int(number))
        case .number(let number): String(number)
        default: nil
        }
    }

    var integer: Int? {
        switch self {
        case .number(let number) where abs(number) < 1e15: Int(number.rounded(.down))
        case .string(let text): Int(text)
        default: nil
        }
    }
}

/// Decodes `[String: JSONScalar]`, tolerating nested objects and arrays as `.other`.
struct JSONScalarObject: Decodable {
    var values: [String: JSONScalar]

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: JSONScalar].self)
    }

    subscript(key: String) -> JSONScalar? { values[key] }
}
