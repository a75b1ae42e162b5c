import CCurl
import FoundationEssentials
import Glibc
import HTTPTypes
import Synchronization

/// One blocking libcurl easy transfer. Created, performed and discarded on a single
/// worker thread; only `cancel()` is called from elsewhere, through an atomic flag.
final class CurlTransfer: Sendable {
    private let request: HTTPClientRequest
    private let options: TransportOptions
    private let cancelled = Atomic<Bool>(false)
    /// Body and headers collected by libcurl's callbacks on the transfer's own thread.
    private let sink: Mutex<Sink>

    struct Sink {
        var body = Data()
        var headers = HTTPFields()
        var headerBytes = 0
        var overflowed = false
        var statusLine: String?
    }

    private let proxy: ProxyChoice

    init(request: HTTPClientRequest, options: TransportOptions) {
        self.request = request
        self.options = options
        self.sink = Mutex(Sink())
        proxy = ProxyChoice.choose(for: request.url, environment: options.proxyEnvironment)
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func append(body bytes: UnsafeRawBufferPointer) -> Bool {
        sink.withLock { sink in
            guard sink.body.count + bytes.count <= options.maxBodyBytes else {
                sink.overflowed = true
                return false
            }
            sink.body.append(contentsOf: bytes)
            return true
        }
    }

    /// One header line; bounded like the body (at most `maxBodyBytes` of headers in all).
    func append(headerLine bytes: UnsafeRawBufferPointer) -> Bool {
        let line = String(decoding: bytes, as: UTF8.self)
        return sink.withLock { sink in
            sink.headerBytes += bytes.count
            guard sink.headerBytes <= options.maxBodyBytes else {
                sink.overflowed = true
                return false
            }
            if line.hasPrefix("HTTP/") {
                // A new status line (after 100 Continue or a proxy CONNECT): drop earlier headers.
                sink.headers = [:]
                sink.statusLine = line.trimmed()
            } else if let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon].trimmed())) {
                // Lenient: NUL and line breaks become spaces, the rest of the (trimmed, UTF-8
                // decoded) value is kept; what is shown passes through Redaction first.
                sink.headers.append(HTTPField(name: name, lenientValue: Array(line[line.index(after: colon)...].trimmed().utf8)))
            }
            return true
        }
    }

    /// Runs the transfer to completion on the calling thread.
    func perform() throws(TransferFailure) -> HTTPClientResponse {
        let curl: UnsafePointer<pds_curl_functions>
        do { curl = try CurlRuntime.functions() } catch { throw TransferFailure(code: CURLE_FAILED_INIT, detail: error.message, unavailable: error) }
        options.trace?("\(request.method) \(Redaction.url(request.url)) \(proxy.shown)")
        guard let handle = curl.pointee.easy_init() else { throw TransferFailure(code: CURLE_FAILED_INIT, detail: "curl_easy_init failed") }
        defer { curl.pointee.easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl.pointee.slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = withExtendedLifetime(self) {
            errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
                configure(curl, handle, errorBuffer: errorPointer.baseAddress!, headerList: &headerList)
                return curl.pointee.easy_perform(handle)
            }
        }
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let description = curl.pointee.easy_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)"
        let collected = sink.withLock { $0 }
        if collected.overflowed {
            throw TransferFailure(
                code: CURLE_WRITE_ERROR, detail: "answer exceeds \(options.maxBodyBytes) bytes", description: description, bodyTooLarge: true)
        }
        if code == CURLE_ABORTED_BY_CALLBACK, isCancelled {
            throw TransferFailure(code: code, detail: "cancelled", description: description, cancelled: true)
        }
        guard code == CURLE_OK else { throw TransferFailure(code: code, detail: detail, description: description) }
        var status = 0
        _ = pds_curl_getinfo_long(curl, handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPClientResponse(status: status, headerFields: collected.headers, body: collected.body, statusLine: collected.statusLine)
    }

    private func configure(
        _ curl: UnsafePointer<pds_curl_functions>, _ handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>,
        headerList: inout UnsafeMutablePointer<curl_slist>?
    ) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        setString(curl, handle, CURLOPT_URL, request.url.absoluteString)
        _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_ERRORBUFFER, errorBuffer)
        // Only HTTP(S), never follow redirects: a token endpoint that redirects a POST
        // carrying a code or secret elsewhere is treated as an error, not obeyed.
        setString(curl, handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_FOLLOWLOCATION, 0)
        // TLS verification is always on; there is deliberately no switch to turn it off.
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = options.caBundlePath { setString(curl, handle, CURLOPT_CAINFO, ca) }
        // The proxy pds-auth chose (`ProxyChoice`), or "" for none; the empty NOPROXY keeps
        // libcurl from applying the environment's exceptions a second time.
        setString(curl, handle, CURLOPT_PROXY, proxy.proxy ?? "")
        setString(curl, handle, CURLOPT_NOPROXY, "")
        // NOSIGNAL: transfers run on worker threads, where SIGALRM-based DNS timeouts are unsafe.
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_NOSIGNAL, 1)
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.wholeMilliseconds)
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_TIMEOUT_MS, options.totalTimeout.wholeMilliseconds)
        _ = pds_curl_setopt_off(curl, handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodyBytes))
        setString(curl, handle, CURLOPT_USERAGENT, options.userAgent)
        _ = pds_curl_setopt_write(curl, handle, CURLOPT_WRITEFUNCTION, curlWriteBody)
        _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_WRITEDATA, context)
        _ = pds_curl_setopt_write(curl, handle, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_HEADERDATA, context)
        _ = pds_curl_setopt_long(curl, handle, CURLOPT_NOPROGRESS, 0)
        _ = pds_curl_setopt_xferinfo(curl, handle, CURLOPT_XFERINFOFUNCTION, curlProgress)
        _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_XFERINFODATA, context)
        for field in request.headerFields {
            headerList = curl.pointee.slist_append(headerList, "\(field.name.rawName): \(field.value)")
        }
        // An empty Expect stops libcurl waiting a second for "100 Continue" on larger posts.
        headerList = curl.pointee.slist_append(headerList, "Expect:")
        _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_HTTPHEADER, headerList)
        configureMethod(curl, handle)
    }

    /// GET is libcurl's default; POST sends the body; other methods are named explicitly
    /// (with the body, if any, sent as for POST); HEAD asks for no body.
    private func configureMethod(_ curl: UnsafePointer<pds_curl_functions>, _ handle: UnsafeMutableRawPointer) {
        if request.method == .head {
            _ = pds_curl_setopt_long(curl, handle, CURLOPT_NOBODY, 1)
            return
        }
        if let body = request.body ?? (request.method == .post ? Data() : nil) {
            _ = pds_curl_setopt_long(curl, handle, CURLOPT_POST, 1)
            _ = pds_curl_setopt_off(curl, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS: libcurl keeps its own copy, so `body` need only live for this call.
            body.withUnsafeBytes { _ = pds_curl_setopt_ptr(curl, handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
        }
        if request.method != .get && request.method != .post { setString(curl, handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
    }

    private func setString(_ curl: UnsafePointer<pds_curl_functions>, _ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) {
        // libcurl copies string options (since 7.17.0), so a temporary C string is enough.
        _ = value.withCString { pds_curl_setopt_ptr(curl, handle, option, $0) }
    }
}

/// C callbacks: libcurl hands back the `CurlTransfer` we registered as user data.
private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Returning fewer bytes than offered makes libcurl abort with CURLE_WRITE_ERROR.
    return transfer.append(body: UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    // Returning fewer bytes than offered aborts the transfer (an unbounded header flood).
    return transfer.append(headerLine: UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    // Non-zero aborts the transfer: this is how Task cancellation reaches libcurl.
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
}

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
            return .failure(
                PDSAuthError(
                    .networkLibraryMissing,
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
