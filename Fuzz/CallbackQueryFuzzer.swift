/// Fuzzes `CallbackParameters(query:)`: the query string of the browser's redirect to the
/// loopback listener, which any local web page can forge.
///
/// Invariants: a query over `maxQueryLength` bytes is refused and one within it is parsed;
/// no parsed value exceeds `maxValueLength` bytes; each value is the first occurrence of its
/// parameter; re-encoding the parsed values with `FormEncoding.encode` and parsing again
/// gives the same values; `Redaction.terminalSafe` leaves no control characters.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The listener sees the request line as text; invalid UTF-8 becomes U+FFFD, as there.
    let query = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let parameters = CallbackParameters(query: query) else {
        require(query.utf8.count > CallbackParameters.maxQueryLength, "a query within the length bound was refused")
        return 0
    }
    require(query.utf8.count <= CallbackParameters.maxQueryLength, "an overlong query was parsed")

    let fields = [
        ("code", parameters.code), ("state", parameters.state),
        ("error", parameters.error), ("error_description", parameters.errorDescription), ("iss", parameters.iss),
    ]
    let pairs = FormEncoding.decode(query)
    for (name, value) in fields {
        guard let value else { continue }
        require(value.utf8.count <= CallbackParameters.maxValueLength, "\(name) has \(value.utf8.count) bytes")
        let first = pairs.first { $0.0 == name && $0.1.utf8.count <= CallbackParameters.maxValueLength }
        require(first?.1 == value, "\(name) is not the first bounded occurrence")
        requireTerminalSafe(Redaction.terminalSafe(value), limit: 300, "terminalSafe(\(name))")
    }
    require(
        parameters.isRedirect == (parameters.code != nil || parameters.state != nil || parameters.error != nil),
        "isRedirect disagrees with the parsed fields")

    // Escaping can triple the length; only a re-encoding that is itself in bounds must survive.
    let encoded = FormEncoding.encode(fields.compactMap { name, value in value.map { (name, $0) } })
    if encoded.utf8.count <= CallbackParameters.maxQueryLength {
        require(
            CallbackParameters(query: encoded) == parameters,
            "re-encoded query \(encoded.debugDescription) parses differently")
    }
    return 0
}
