struct MissingValue: Error, CustomStringConvertible {
    var description: String
}
