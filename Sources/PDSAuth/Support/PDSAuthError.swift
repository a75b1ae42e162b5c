/// Every failure the library reports: a ``Code`` from a fixed catalogue (what kind of
/// failure, for programs), a human `message` (what happened, one sentence) and `context`
/// (HTTP status, request id, path, address…). Messages and context never contain a secret:
/// callers pass only redacted values. What to *do* about an error depends on the front end
/// (a command line names its flags, an app its settings), so advice lives there; see
/// `pds-auth`'s `ErrorAdvice`.
public struct PDSAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var context: [String: String]

    public init(_ code: Code, _ message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// `message (key: value, …)`, the one line a user is shown.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return details.isEmpty ? message : "\(message) (\(details.joined(separator: ", ")))"
    }
}
