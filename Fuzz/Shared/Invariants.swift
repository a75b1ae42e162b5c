/// Checks shared by the fuzz harnesses. A violated invariant must end the process the way
/// a memory error does, so libFuzzer saves the input as a crash artifact: `fatalError`
/// with a message naming the invariant (libFuzzer prints it above the stack trace).

/// Fails the run when `condition` is false.
func require(
    _ condition: @autoclosure () -> Bool, _ invariant: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError("fuzz invariant violated: \(invariant())", file: file, line: line) }
}

/// True when the text has no C0 (U+0000–U+001F), DEL or C1 (U+0080–U+009F) control
/// characters: nothing that could start a terminal escape sequence.
func isTerminalSafe(_ text: some StringProtocol) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

/// What `Redaction.terminalSafe(_:limit:)` promises for any input: no control characters
/// and at most `limit` characters plus the "…" that marks a cut.
func requireTerminalSafe(
    _ shown: String, limit: Int, _ what: String,
    file: StaticString = #fileID, line: UInt = #line
) {
    require(isTerminalSafe(shown), "\(what) contains a control character: \(shown.debugDescription)", file: file, line: line)
    require(shown.count <= limit + 1, "\(what) has \(shown.count) characters, limit \(limit)", file: file, line: line)
}
