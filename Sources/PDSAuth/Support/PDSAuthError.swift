/// Every failure pds-auth reports: a stable machine `code`, a human `message` saying what
/// happened, a `hint` saying what to do, and `context` (HTTP status, request id, path…).
/// Messages never contain secrets: callers pass only redacted values.
public struct PDSAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: ExitStatus
    public var code: String
    public var message: String
    public var hint: String?
    public var context: [String: String]

    public init(_ status: ExitStatus, code: String, _ message: String, hint: String? = nil, context: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.context = context
    }

    /// `message (key: value, …)` — the one line shown to users; the hint goes on its own line.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return details.isEmpty ? message : "\(message) (\(details.joined(separator: ", ")))"
    }
}
