import CCurl

/// A libcurl transfer that did not produce a response, with libcurl's own explanation.
struct TransferFailure: Error, Sendable {
    var code: CURLcode
    var detail: String
    var bodyTooLarge = false
    var cancelled = false

    /// True when nothing reached the server's application (refused, unresolved): the only
    /// failures after which repeating a non-idempotent POST is safe.
    var happenedBeforeRequestWasSent: Bool {
        code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY
    }

    var libcurlMessage: String {
        let text = String(cString: curl_easy_strerror(code))
        return detail.isEmpty ? text : "\(text): \(detail)"
    }
}
