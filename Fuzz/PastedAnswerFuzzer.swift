/// Fuzzes `PastedAnswer.parse(_:)`: whatever a user pastes at the "paste the URL your
/// browser ended on" prompt (a full URL, a query, a bare code, or junk).
///
/// Invariants: text whose trimmed form is longer than `CallbackParameters.maxQueryLength`
/// is refused; a `.code` is the trimmed text, printable ASCII without spaces, within
/// `maxValueLength` and without `://`; a `.redirect` is a real redirect with bounded values;
/// extra surrounding white space changes nothing; a query pasted inside a full loopback URL
/// parses the same as the listener would parse it.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The terminal hands over bytes; invalid UTF-8 becomes U+FFFD, as when reading stdin.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let trimmed = text.trimmed()
    let answer = PastedAnswer.parse(text)

    if trimmed.utf8.count > CallbackParameters.maxQueryLength {
        require(answer == nil, "a paste of \(trimmed.utf8.count) bytes was accepted")
    }
    switch answer {
    case nil:
        break
    case .code(let code):
        require(code == trimmed, "a code is not exactly the trimmed paste")
        require(code.utf8.count <= CallbackParameters.maxValueLength, "a code of \(code.utf8.count) bytes")
        require(code.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "a code with a byte outside VSCHAR")
        require(!code.contains("://"), "a URL was taken for a code")
    case .redirect(let parameters):
        require(parameters.isRedirect, "a redirect without code, state or error")
        require(has("?", trimmed) || has("=", trimmed), "a redirect from text with no query")
        for value in [parameters.code, parameters.state, parameters.error, parameters.errorDescription].compactMap({ $0 }) {
            require(value.utf8.count <= CallbackParameters.maxValueLength, "a value of \(value.utf8.count) bytes")
            requireTerminalSafe(Redaction.terminalSafe(value), limit: 300, "terminalSafe(pasted value)")
        }
    }

    // Terminals add line breaks and indentation around pasted text.
    require(PastedAnswer.parse(" \t\n" + text + "\r\n") == answer, "surrounding white space changed the answer")

    // A bare query pasted as the full URL the browser showed must mean what the listener reads.
    if !has("#", trimmed), !has("?", trimmed) {
        let url = "http://127.0.0.1:8765/callback?" + trimmed
        if url.utf8.count <= CallbackParameters.maxQueryLength {
            let listener = CallbackParameters(query: trimmed).flatMap { $0.isRedirect ? PastedAnswer.redirect($0) : nil }
            require(PastedAnswer.parse(url) == listener, "the pasted URL and the listener disagree")
        }
    }
    return 0
}

/// Whether `text` holds the delimiter byte, as a URL parser sees it. `String.contains`
/// compares grapheme clusters, and `=` followed by a combining mark is a single cluster.
func has(_ delimiter: Unicode.Scalar, _ text: String) -> Bool {
    text.utf8.contains(UInt8(ascii: delimiter))
}
