import PDSAuth
import PDSShared

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 for misbehaving on purpose: half-sent requests,
/// junk, silence. Sendable: its only state is the descriptor, and socket calls are
/// thread-safe. Waits run on a thread of their own (`BlockingThread`), never on the
/// cooperative pool, which the listener under test needs.
package final class RawConnection: Sendable {
    package let descriptor: Int32

    package init?(port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    @discardableResult
    package func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// The first bytes the server sends within `milliseconds` ("" when it just closed; nil
    /// when it stayed silent and open).
    package func firstReply(within milliseconds: Int32) async -> String? {
        await BlockingThread.run { self.blockingFirstReply(within: milliseconds) }
    }

    private func blockingFirstReply(within milliseconds: Int32) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count <= 0 ? "" : String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// True when the server has closed the connection (EOF or reset) within `milliseconds`.
    package func closedByPeer(within milliseconds: Int32) async -> Bool {
        await BlockingThread.run { self.blockingClosedByPeer(within: milliseconds) }
    }

    private func blockingClosedByPeer(within milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN }
            // Drain a response (e.g. 400 to junk) and keep looking for the close.
            guard poll(&poller, 1, milliseconds) > 0 else { return false }
        }
    }
}

/// Resident set size of this process in KiB, from /proc/self/status.
package func residentKiB() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") { return Int(text.split(separator: " ").dropFirst().first ?? "0") ?? 0 }
    }
    return 0
}
