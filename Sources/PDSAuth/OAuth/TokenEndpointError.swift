#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns a non-2xx token or revoke answer into one clear error. PDS sends
/// `{"code","message","requestId"}` (the docs capitalise the keys, the SDKs do not),
/// generic servers send RFC 6749 §5.2 `{"error","error_description"}`, and the API gateway
/// sends only `x-ca-error-code` / `x-ca-error-message` / `x-ca-request-id` headers.
public enum TokenEndpointError {
    public static func from(_ response: HTTPClientResponse, host: String, action: String) -> PDSAuthError {
        let body = (try? JSONDecoder().decode(JSONScalarObject.self, from: response.body))
        let code = first(body, ["code", "Code", "error"]) ?? response[header: "x-ca-error-code"]
        let message = first(body, ["message", "Message", "error_description"]) ?? response[header: "x-ca-error-message"]
        let requestID = first(body, ["requestId", "RequestId", "request_id"]) ?? response[header: "x-ca-request-id"]

        var context = ["HTTP": String(response.status)]
        if let requestID { context["request id"] = Redaction.terminalSafe(requestID, limit: 100) }
        let detail = [code, message].compactMap { $0.map { Redaction.terminalSafe($0, limit: 300) } }.joined(separator: ": ")
        let what = detail.isEmpty ? "HTTP \(response.status) with no error details" : detail
        let transient = response.status == 429 || response.status == 408 || response.status >= 500
        if transient {
            var hint = "The server is failing or throttling; retry later. Saved credentials were not changed."
            if let retry = response[header: "retry-after"] { hint += " It asked to wait \(Redaction.terminalSafe(retry, limit: 40)) s." }
            return PDSAuthError(.serverUnavailable, code: code.map { Redaction.terminalSafe($0, limit: 80) } ?? "server_error",
                                "\(host) could not \(action): \(what)", hint: hint, context: context)
        }
        return PDSAuthError(.tokenRejected, code: code.map { Redaction.terminalSafe($0, limit: 80) } ?? "rejected",
                            "\(host) refused to \(action): \(what)", hint: rejectionHint(code: code), context: context)
    }

    private static func first(_ body: JSONScalarObject?, _ keys: [String]) -> String? {
        keys.lazy.compactMap { body?[$0]?.text }.first { !$0.isEmpty }
    }

    private static func rejectionHint(code: String?) -> String {
        let lowered = code?.lowercased() ?? ""
        if lowered.contains("refreshtoken") || lowered == "invalid_grant" {
            return "The saved session is no longer valid: sign in again with `pds-auth login`."
        }
        if lowered.contains("clientsecret") || lowered.contains("client") || lowered == "forbidden" {
            return "Check the client id and client secret of the app."
        }
        return "Check the app's settings (client id, secret, redirect URI) and sign in again."
    }
}
