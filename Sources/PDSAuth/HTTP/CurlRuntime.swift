import CCurl

import Glibc

/// `curl_global_init` must run once before any other libcurl call and is not thread-safe
/// itself; a Swift `static let` is initialised exactly once under a lock (swift_once).
enum CurlRuntime {
    private static let initialized: Bool = {
        // Transfers set CURLOPT_NOSIGNAL (they run on worker threads), and then libcurl
        // no longer shields us from SIGPIPE: a TLS peer that closes while OpenSSL writes
        // would kill the process without a word. Ignored, the write fails with EPIPE and
        // the transfer reports a network error like any other. (Children get the default
        // back: BrowserLauncher resets it.)
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func ensureInitialized() {
        precondition(initialized, "libcurl failed to initialise")
    }
}
