import CCurl

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// All outbound HTTP of pds-auth, through libcurl. Each transfer blocks a thread of its own
/// (`BlockingThread`), never a thread of Swift's cooperative pool; Task cancellation aborts it through
/// libcurl's progress callback. Proxies come from libcurl's usual `http_proxy`,
/// `https_proxy`, `no_proxy` variables.
public struct CurlClient: Sendable {
    public var options: TransportOptions

    public init(options: TransportOptions = TransportOptions()) {
        self.options = options
    }

    /// Sends `request` and returns whatever the server answered, any status. Throws a
    /// `PDSAuthError` only when no complete answer arrived (network, TLS, timeout, size).
    public func send(_ request: HTTPClientRequest) async throws(PDSAuthError) -> HTTPClientResponse {
        let transfer = CurlTransfer(request: request, options: options)
        let result: Result<HTTPClientResponse, TransferFailure> = await withTaskCancellationHandler {
            await BlockingThread.run { Result { () throws(TransferFailure) in try transfer.perform() } }
        } onCancel: {
            transfer.cancel()
        }
        switch result {
        case .success(let response): return response
        case .failure(let failure):
            var error = Self.error(for: failure, url: request.url)
            if failure.happenedBeforeRequestWasSent { error.context["sent"] = "no" }
            throw error
        }
    }

    /// Maps libcurl's result to what the user should know and do.
    static func error(for failure: TransferFailure, url: URL) -> PDSAuthError {
        let host = url.host ?? url.absoluteString
        let context = ["url": Self.redacted(url), "libcurl": failure.libcurlMessage]
        if failure.bodyTooLarge {
            return PDSAuthError(.invalidResponse, code: "response_too_large",
                                "\(host) sent a response larger than any token response", hint: "Check the endpoint URL.", context: context)
        }
        if failure.cancelled {
            return PDSAuthError(.interrupted, code: "cancelled", "The request to \(host) was cancelled", context: context)
        }
        switch failure.code {
        case CURLE_OPERATION_TIMEDOUT:
            return PDSAuthError(.network, code: "timeout", "\(host) did not answer in time",
                                hint: "Retry; if it persists, check the endpoint and your network or proxy.", context: context)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return PDSAuthError(.network, code: "unreachable", "Could not connect to \(host)",
                                hint: "Check --endpoint (or PDS_ENDPOINT), DNS and proxy settings, then retry.", context: context)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return PDSAuthError(.network, code: "tls", "The TLS connection to \(host) could not be verified",
                                hint: "If the server uses a private CA, pass --cacert FILE or set SSL_CERT_FILE. Verification cannot be turned off.",
                                context: context)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return PDSAuthError(.network, code: "connection_lost", "The connection to \(host) broke before a complete answer",
                                hint: "Retry; the server or a proxy closed the connection.", context: context)
        case CURLE_FILESIZE_EXCEEDED:
            return PDSAuthError(.invalidResponse, code: "response_too_large",
                                "\(host) announced a response larger than any token response", hint: "Check the endpoint URL.", context: context)
        default:
            return PDSAuthError(.network, code: "transfer_failed", "The request to \(host) failed",
                                hint: "Retry; check the endpoint URL and network.", context: context)
        }
    }

    /// Scheme, host, port and path only: queries may carry codes or tokens.
    static func redacted(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.fragment = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? "(url)"
    }
}
