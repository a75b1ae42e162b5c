/// Faults named on the command line (`pds-auth dev-server --fault …`), so users can test
/// their own scripts and retry settings against a misbehaving token endpoint.
extension DevServerFault {
    /// The accepted spellings, for help texts and error messages.
    public static let argumentForms =
        "delay=MS, status=CODE[:RETRY_AFTER_S], drop, invalid-json, oversized=BYTES, slow=BYTES_PER_S"

    /// Parses one of ``argumentForms``; nil for anything else.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        let name = first.lowercased()
        let value = parts.count > 1 ? parts[1] : nil
        switch (name, value) {
        case ("drop", nil): self = .dropConnection
        case ("invalid-json", nil): self = .invalidJSON
        case ("delay", let value?): guard let ms = Int(value), ms >= 0 else { return nil }; self = .delay(milliseconds: ms)
        case ("oversized", let value?): guard let bytes = Int(value), bytes >= 32 else { return nil }; self = .oversizedBody(bytes: bytes)
        case ("slow", let value?): guard let rate = Int(value), rate > 0 else { return nil }; self = .slowBody(bytesPerSecond: rate)
        case ("status", let value?):
            let fields = value.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count <= 2, let code = Int(fields[0]), (400...599).contains(code) else { return nil }
            let retryAfter = fields.count == 2 ? Int(fields[1]) : nil
            guard fields.count == 1 || (retryAfter ?? -1) >= 0 else { return nil }
            self = .status(code, retryAfter: retryAfter)
        default: return nil
        }
    }
}
