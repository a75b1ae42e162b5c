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
