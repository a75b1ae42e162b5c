import CCurl

/// A libcurl transfer that did not produce a response, with libcurl's own explanation.
struct TransferFailure: Error, Sendable {
    var code: CURLcode
    var detail: String
    /// `curl_easy_strerror(code)`.
    var description = ""
    var bodyTooLarge = false
    var cancelled = false
    /// No transfer was attempted: libcurl could not be loaded, or the URL is refused
    /// (plain http to a host that is not loopback).
    var unavailable: PDSAuthError?

    /// True when nothing reached the server's application (refused, unresolved, libcurl
    /// missing): the only failures after which repeating a non-idempotent POST is safe.
    var happenedBeforeRequestWasSent: Bool {
        unavailable == nil && (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY)
    }

    var libcurlMessage: String {
        detail.isEmpty ? description : "\(description): \(detail)"
    }
}
