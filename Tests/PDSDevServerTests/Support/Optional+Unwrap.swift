extension Optional {
    /// The value, or a test failure naming `what` was missing.
    func unwrap(_ what: String) throws -> Wrapped {
        guard let self else { throw MissingValue(description: "missing \(what)") }
        return self
    }
}
