import Glibc

/// Whether `login` could listen on a redirect URI's port: each address the listener would
/// serve (`localhost` means 127.0.0.1 and ::1, see `ListenerBinding`) is bound for a moment,
/// as the listener binds it (`SO_REUSEADDR`, so a port in TIME_WAIT counts as free, as it
/// does for the listener) and released at once. It is never listened on, so nothing can
/// connect to it meanwhile. Failures are classified and worded as the listener's own.
enum PortProbe {
    static func run(_ redirect: RedirectTarget) -> DiagnosisCheck {
        var check = DiagnosisCheck("redirect_port", summary: "")
        check.fact("redirect_uri", redirect.uri, limit: 300)
        guard redirect.port != 0 else {
            check.summary = "\(redirect.uri) asks for any free port"
            return check
        }
        let addresses = redirect.host.lowercased() == "localhost" ? ["127.0.0.1", "::1"] : [redirect.host]
        var free: [String] = []
        for address in addresses {
            switch bind(address, port: redirect.port) {
            case nil: free.append(address)
            case .unavailable? where address == "::1" && addresses.count == 2:
                check.fact("note", "this machine has no IPv6 loopback address, so localhost is served on 127.0.0.1 only")
            case let failure?: check.fail(failure.error(host: address, port: redirect.port))
            }
        }
        check.fact("free_on", free.isEmpty ? nil : JSONValue.array(free.map { .string($0) }))
        if check.status == .ok { check.summary = "port \(redirect.port) is free on \(free.joined(separator: " and "))" }
        return check
    }

    /// Binds `host:port` and closes the socket again; nil when that worked.
    static func bind(_ host: String, port: Int) -> ListenerServer.BindFailure? {
        let v6 = host.contains(":")
        let descriptor = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return ListenerServer.BindFailure(errno: errno, description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if v6 {
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return .unavailable }
            result = bind(descriptor, to: &address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return .unavailable }
            result = bind(descriptor, to: &address)
        }
        return result == 0 ? nil : ListenerServer.BindFailure(errno: errno, description: String(cString: strerror(errno)))
    }

    /// bind(2) with a `sockaddr_in` or `sockaddr_in6`.
    private static func bind<Address>(_ descriptor: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }
}
