import CCurl
import Glibc

/// libcurl, loaded (dlopen) and initialised on first use: `curl_global_init` must run once
/// before any other libcurl call and is not thread-safe itself; a Swift `static let` is
/// initialised exactly once under a lock (swift_once).
enum CurlRuntime {
    /// The table lives for the whole process and is never written after loading: sharing
    /// the pointer between threads is safe.
    private struct Functions: @unchecked Sendable {
        let pointer: UnsafePointer<pds_curl_functions>
    }

    private static let loaded: Result<Functions, PDSAuthError> = {
        var reason: UnsafePointer<CChar>?
        guard let functions = pds_curl_load(&reason) else {
            return .failure(PDSAuthError(.networkLibraryMissing,
                "libcurl cannot be loaded (\(reason.map { String(cString: $0) } ?? "unknown reason")); it makes every request"))
        }
        // The library leaves the process's signal dispositions alone. Transfers set
        // CURLOPT_NOSIGNAL (they run on worker threads); libcurl (7.87 and later: Debian 12
        // has 7.88) routes OpenSSL's writes through its own socket filter, which sends with
        // MSG_NOSIGNAL, so a peer closing mid-write is EPIPE, a network error. pds-auth's
        // main also ignores SIGPIPE, for its own stdout (exit 14 instead of a silent death).
        guard functions.pointee.global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK else {
            return .failure(PDSAuthError(.networkLibraryMissing, "libcurl failed to initialise"))
        }
        return .success(Functions(pointer: functions))
    }()

    /// libcurl's functions, or why they are not available.
    static func functions() throws(PDSAuthError) -> UnsafePointer<pds_curl_functions> {
        try loaded.get().pointer
    }

    /// libcurl's own description of itself (`libcurl/7.88.1 OpenSSL/3.0.15 …`), loading it
    /// first: what `doctor` reports, or why it cannot be loaded.
    package static func version() throws(PDSAuthError) -> String {
        guard let text = try functions().pointee.version() else { return "libcurl (version unknown)" }
        return Redaction.terminalSafe(String(cString: text), limit: 300)
    }
}
