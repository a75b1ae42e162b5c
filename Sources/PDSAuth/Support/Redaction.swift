/// How secrets appear anywhere but where the user asked for them: enough of the start and
/// end to tell two tokens apart, never enough to use one.
public enum Redaction {
    public static func mask(_ secret: String) -> String {
        guard secret.count > 16 else { return String(repeating: "•", count: 8) }
        return "\(secret.prefix(6))…\(secret.suffix(4))"
    }

    /// Strips C0/C1 control characters (and so ANSI escape sequences' introducers) from
    /// text that came from the network or the browser before it reaches a terminal, and
    /// bounds its length.
    public static func terminalSafe(_ text: String, limit: Int = 300) -> String {
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
        }))
        if cleaned.count > limit { cleaned = String(cleaned.prefix(limit)) + "…" }
        return cleaned
    }
}
