import Hummingbird
import PDSShared

/// A page that reports a problem to the person in the browser instead of redirecting:
/// RFC 6749 §4.1.2.1 forbids redirecting when the client or redirect URI cannot be trusted,
/// and a decision without a pending request has nowhere to go.
struct ProblemPage: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// An OAuth error code (RFC 6749 §4.1.2.1) or a short name for the problem.
    var code: String
    var hint: String?

    func response(renderer: PageRenderer) -> Response {
        renderer.page(status, "problem", values)
    }

    var values: [String: PageValue] {
        var values: [String: PageValue] = ["title": .text(title), "message": .text(message), "code": .text(code)]
        if let hint { values["hint"] = .text(hint) }
        return values
    }
}
