import PDSAuth
import PDSShared

#if canImport(Glibc)
    import Glibc
#endif

/// A listener on 127.0.0.1 that answers every request with bytes the test wrote by hand —
/// for what a real HTTP server will not send: a `Date` of the test's choosing (Hummingbird
/// always writes the true one), hostile header lines, or no answer at all. Each connection's
/// request head is read (at most 64 KiB) and recorded; `answer` returns the reply, or nil to
/// keep the connection open and silent until `stop()`.
package final class CannedHTTPServer: Sendable {
    package let port: Int
    private let descriptor: Int32
    /// The request heads received, in order.
    package let requests = LockedValue<[String]>([])
    private let held = LockedValue<[Int32]>([])
    private let stopped = LockedValue(false)

    package init?(answer: @escaping @Sendable (_ head: String) -> [UInt8]?) {
        guard let listener = HeldPort(host: "127.0.0.1") else { return nil }
        // The held port's socket is handed over to this server: duplicate it, the HeldPort closes its own.
        descriptor = dup(listener.descriptor)
        port = listener.port
        let (descriptor, requests, held) = (descriptor, requests, held)
        BlockingThread.start {
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                let head = Self.readHead(connection)
                requests.update { $0.append(head) }
                guard let reply = answer(head) else {
                    held.update { $0.append(connection) }
                    continue
                }
                _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(connection)
            }
        }
    }

    /// Closes the listener (which ends the accepting thread) and every silent connection.
    package func stop() {
        guard
            !stopped.update({ stopped in
                defer { stopped = true }
                return stopped
            })
        else { return }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        for connection in held.update({ held in
            defer { held = [] }
            return held
        }) { close(connection) }
    }

    deinit { stop() }

    private static func readHead(_ connection: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        while bytes.count < 64 << 10, !bytes.ends(with: Array("\r\n\r\n".utf8)), poll(&poller, 1, 5000) > 0 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            bytes += buffer.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An HTTP/1.1 answer with `headers` (each a whole line, sent as given) and no body.
    package static func reply(status: String = "200 OK", headers: [String]) -> [UInt8] {
        Array((["HTTP/1.1 \(status)"] + headers + ["Content-Length: 0", "Connection: close", "", ""]).joined(separator: "\r\n").utf8)
    }

    /// `Date` as RFC 9110 §5.6.7 writes it (IMF-fixdate), `offset` seconds from now.
    package static func httpDate(offset: Int) -> String {
        var time = time_t(Int(Glibc.time(nil)) + offset)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
