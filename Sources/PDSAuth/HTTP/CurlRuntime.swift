import CCurl

/// `curl_global_init` must run once before any other libcurl call and is not thread-safe
/// itself; a Swift `static let` is initialised exactly once under a lock (swift_once).
enum CurlRuntime {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    static func ensureInitialized() {
        precondition(initialized, "libcurl failed to initialise")
    }
}
