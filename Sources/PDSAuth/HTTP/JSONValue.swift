import FoundationEssentials

/// Any JSON value, decoded without loss of what matters for writing it back: object members
/// (their order is not kept), strings, booleans, null, and numbers as exact integers where
/// they are integers — beyond 64 bits too (a JWT claim of 2^70 is shown as written, not as
/// `1.1805916207174113e+21`), up to the 38 digits `Decimal` holds. Used to keep fields this version does not know when it rewrites a
/// file another version (or the user) wrote.
package indirect enum JSONValue: Codable, Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    /// An integer outside `Int64`, exactly as written (up to 38 significant digits).
    case bigInteger(Decimal)
    case number(Double)
    case bool(Bool)
    case null

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let big = try? container.decode(Decimal.self), big.exponent >= 0 {
            self = .bigInteger(big)
        } else if let number = try? container.decode(Double.self) {
            self = Self.canonical(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let members): try container.encode(members)
        case .array(let elements): try container.encode(elements)
        case .string(let text): try container.encode(text)
        case .integer(let integer): try container.encode(integer)
        case .bigInteger(let big): try container.encode(big)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        }
    }

    /// `number` as the next read of its own encoding will see it, so that a value survives
    /// any number of saves unchanged: a number with a fraction is kept as a `Double`, which
    /// loses what lies below 2^53 (311111111111111111111.1 → 3.111111111111111e+20, a whole
    /// number), and the encoder writes that in a form (`3.111111111111111e+20`) the reader
    /// takes for an integer. Only whole, finite values can change kind; the rest stay `Double`.
    static func canonical(_ number: Double) -> JSONValue {
        guard number.isFinite, number == number.rounded(), let text = try? JSONEncoder().encode(number) else {
            return .number(number)
        }
        if let integer = try? JSONDecoder().decode(Int64.self, from: text) { return .integer(integer) }
        if let big = try? JSONDecoder().decode(Decimal.self, from: text), big.exponent >= 0 { return .bigInteger(big) }
        return .number(number)
    }

    /// The members of an object, or nil.
    package var members: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// How many levels the value nests (a scalar is 1).
    package var depth: Int {
        switch self {
        case .object(let members): 1 + (members.values.lazy.map(\.depth).max() ?? 0)
        case .array(let elements): 1 + (elements.lazy.map(\.depth).max() ?? 0)
        default: 1
        }
    }

    /// Deepest nesting accepted from a file or a token: far more than anything pds-auth or
    /// PDS writes, and far below `JSONEncoder`'s limit (512 levels, a little under what
    /// `JSONDecoder` reads), so whatever was read can always be written back or shown.
    package static let maxDepth = 64
}
