import CCurl
import FoundationEssentials
import PDSShared

/// All outbound HTTP of pds-auth, through libcurl. Each transfer blocks a thread of its own
/// (`BlockingThread`), never a thread of Swift's cooperative pool; Task cancellation aborts
/// it through libcurl's progress callback. Proxies are chosen by `ProxyChoice` (loopback and
/// plain http never go through one).
package struct CurlClient: Sendable {
    package var options: TransportOptions

    package init(options: TransportOptions = TransportOptions()) {
        self.options = options
    }

    /// Sends `request` and returns whatever the server answered, any status. Throws only
    /// when no complete answer arrived (network, TLS, timeout, size, cancellation).
    package func send(_ request: HTTPClientRequest) async throws(PDSAuthError) -> HTTPClientResponse {
        switch await perform(request) {
        case .success(let response): return response
        case .failure(let failure): throw Self.error(for: failure, url: request.url)
        }
    }

    /// Plain http only to loopback, checked for every request whatever its URL came from
    /// (flags, metadata, or a credentials file someone edited by hand): codes, secrets and
    /// tokens never cross a network unencrypted.
    static func checkScheme(_ url: URL) throws(PDSAuthError) {
        let scheme = url.scheme?.lowercased()
        guard scheme == "https" || (scheme == "http" && LoopbackHost.isLoopback(url.host ?? "")) else {
            throw PDSAuthError(
                .insecureURL, "Refusing to send a request to \(Redaction.url(url)): plain http is allowed only to loopback addresses",
                details: ["url": Redaction.url(url)])
        }
    }

    /// The transfer's raw outcome, for callers that decide on retries themselves.
    func perform(_ request: HTTPClientRequest) async -> Result<HTTPClientResponse, TransferFailure> {
        do throws(PDSAuthError) { try Self.checkScheme(request.url) } catch {
            return .failure(TransferFailure(code: CURLE_UNSUPPORTED_PROTOCOL, detail: error.message, unavailable: error))
        }
        let transfer = CurlTransfer(request: request, options: options)
        return await withTaskCancellationHandler {
            await BlockingThread.run { Result { () throws(TransferFailure) in try transfer.perform() } }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Maps libcurl's result to a catalogued error naming the host.
    static func error(for failure: TransferFailure, url: URL) -> PDSAuthError {
        if let unavailable = failure.unavailable { return unavailable }
        let host = url.host ?? "the server"
        func error(_ code: PDSAuthError.Code, _ message: String) -> PDSAuthError {
            PDSAuthError(
                code, message, underlying: PDSAuthError.Cause(source: "libcurl", description: failure.libcurlMessage),
                details: ["url": Redaction.url(url)])
        }
        if failure.bodyTooLarge {
            return error(.responseTooLarge, "\(host) sent an answer larger than pds-auth accepts")
        }
        if failure.cancelled {
            return error(.cancelled, "The request to \(host) was cancelled")
        }
        switch failure.code {
        case CURLE_OPERATION_TIMEDOUT:
            return error(.httpTimeout, "\(host) did not answer in time")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return error(.unreachable, "Could not connect to \(host)")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return error(.tlsFailure, "The TLS connection to \(host) could not be verified")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return error(.connectionLost, "The connection to \(host) broke before a complete answer")
        case CURLE_FILESIZE_EXCEEDED:
            return error(.responseTooLarge, "\(host) announced an answer larger than pds-auth accepts")
        default:
            return error(.transferFailed, "The request to \(host) failed")
        }
    }
}

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
