import Hummingbird

extension HTTPFields {
    /// `HTTPField.Name`, reached through the collection's element type because Hummingbird
    /// re-exports `HTTPFields` but not `HTTPField`.
    typealias FieldName = HTTPFields.Element.Name

    /// Sets a header by its spelled-out name. The names used are constants valid under
    /// RFC 9110 §5.1; an invalid one is skipped rather than crashing a response.
    mutating func set(_ name: String, _ value: String) {
        guard let field = FieldName(name) else { return }
        self[field] = value
    }

    /// The value of the header spelled `name`.
    func value(_ name: String) -> String? {
        FieldName(name).flatMap { self[$0] }
    }
}
