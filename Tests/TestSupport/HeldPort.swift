import Foundation
import Glibc

/// A listening socket on a loopback address, held by the test to play "another program
/// owns this port". Port 0 picks a free one; `port` tells which. Closed on deinit.
package final class HeldPort: Sendable {
    package let descriptor: Int32
    package let port: Int

    package init?(host: String, port: Int = 0) {
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if v6 {
            var only: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &only, socklen_t(MemoryLayout<Int32>.size))
        }
        var bound: Int32
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            return nil
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let network = withUnsafePointer(to: &storage) { pointer in
            v6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        descriptor = fd
        self.port = Int(UInt16(bigEndian: network))
    }

    deinit { close(descriptor) }
}

/// Ports for tests that must bind the same port again later (to prove it was released).
/// Port 0 would hand out an ephemeral port, and the kernel may give that same port to
/// another test binding port 0 the moment it is released; ports below the ephemeral range
/// (32768–60999 on Linux) are never handed out that way.
package enum TestPorts {
    /// A port in 20000–29999 that was free a moment ago (held and released here).
    package static func belowEphemeralRange() -> Int {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let port = Int.random(in: 20000..<30000, using: &generator)
            if HeldPort(host: "127.0.0.1", port: port) != nil { return port }
        }
        return 0
    }
}

/// The kernel's accept queue of a listening TCP socket, read from `/proc/net/tcp{,6}`: for a
/// socket in LISTEN state its `rx_queue` column counts the connections the kernel has
/// completed and the program has not accepted yet. Tests wait on it instead of sleeping: for
/// a client to have connected to a `HeldPort` (nobody accepts there, so it stays queued), or
/// for a listener to have accepted every connection a test opened.
package enum ListenQueue {
    /// Connections waiting to be accepted on `port` (all addresses), or nil when nothing
    /// listens there.
    package static func pending(port: Int) -> Int? {
        var found: Int?
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in Self.contents(of: table).split(separator: "\n").dropFirst() {
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                // sl, local_address (hex address:port), rem_address, st (0A: LISTEN), tx_queue:rx_queue, …
                guard columns.count > 4, columns[3] == "0A", let local = columns[1].split(separator: ":").last,
                    Int(local, radix: 16) == port, let queue = columns[4].split(separator: ":").last.flatMap({ Int($0, radix: 16) })
                else { continue }
                found = (found ?? 0) + queue
            }
        }
        return found
    }

    /// The whole of a /proc file, read until its end: such files report a size of 0, and
    /// readers that trust the size get nothing or only the first page.
    static func contents(of path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
