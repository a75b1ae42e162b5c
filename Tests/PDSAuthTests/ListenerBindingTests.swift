import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// Which ports and addresses the listener takes: the first free registered redirect URI;
/// `localhost` on both loopback families or not at all; a clear error when every port is
/// taken. Ports held "by someone else" are sockets this test holds open.
@Suite struct ListenerBindingTests {
    static func bind(_ uris: [String]) async throws(PDSAuthError) -> ListenerBinding {
        var targets: [RedirectTarget] = []
        for uri in uris { targets.append(try RedirectTarget(parsing: uri)) }
        return try await ListenerBinding.bind(targets, answers: LoginAnswers(), pages: try LoginPages(), logger: .init(label: "t"))
    }

    /// Served means answered by the listener: its 404 page for a path it does not serve
    /// (no sign-in flow runs in these tests to answer for the start page).
    static func served(_ address: String, port: Int, host: String) async -> Bool {
        let response = try? await CurlClient().send(
            HTTPClientRequest(
                method: .get, url: URL(string: "http://\(address):\(port)/favicon.ico")!,
                headerFields: HTTPFields(lines: [("Host", "\(host):\(port)")])))
        return response?.status == 404
    }

    @Test func firstFreeOfSeveralRedirectURIsIsUsed() async throws {
        let busy = try #require(HeldPort(host: "127.0.0.1"))
        let binding = try await Self.bind(["http://127.0.0.1:\(busy.port)/callback", "http://127.0.0.1:0/second"])
        #expect(binding.target.port != busy.port && binding.target.path == "/second")
        #expect(binding.target.uri == "http://127.0.0.1:\(binding.target.port)/second", "port 0 is replaced by the port bound")
        #expect(await Self.served("127.0.0.1", port: binding.target.port, host: "127.0.0.1"))
        await binding.stop()
    }

    @Test func everyPortBusyNamesThemAll() async throws {
        let one = try #require(HeldPort(host: "127.0.0.1"))
        let two = try #require(HeldPort(host: "127.0.0.1"))
        await #expect {
            try await Self.bind(["http://127.0.0.1:\(one.port)/cb", "http://127.0.0.1:\(two.port)/cb"])
        } throws: { error in
            guard let error = error as? PDSAuthError else { return false }
            return error.code == .portInUse && error.message.contains("\(one.port), \(two.port)")
        }
    }

    @Test func localhostIsServedOnIPv4AndIPv6() async throws {
        let binding = try await Self.bind(["http://localhost:0/callback"])
        #expect(binding.addressCount == 2 && binding.notes.isEmpty)
        for address in ["127.0.0.1", "[::1]"] {
            // Host names the URI's host, as a browser sends it; the address is what it connected to.
            #expect(await Self.served(address, port: binding.target.port, host: "localhost"), "\(address)")
        }
        await binding.stop()
    }

    /// Another program (another user) on [::1]:P must not receive the code of a browser that
    /// resolves `localhost` to ::1: the port counts as taken, and the error names the address.
    @Test func localhostWithIPv6TakenIsBusy() async throws {
        let squatter = try #require(HeldPort(host: "::1"))
        await #expect {
            try await Self.bind(["http://localhost:\(squatter.port)/callback"])
        } throws: { error in
            guard let error = error as? PDSAuthError else { return false }
            return error.code == .portInUse && error.message.contains("[::1]:\(squatter.port)")
        }
        // The IPv4 side it had bound is released again.
        let after = HeldPort(host: "127.0.0.1", port: squatter.port)
        #expect(after != nil, "127.0.0.1:\(squatter.port) was left bound")
    }

    @Test func localhostWithIPv4TakenIsBusy() async throws {
        let squatter = try #require(HeldPort(host: "127.0.0.1"))
        await #expect { try await Self.bind(["http://localhost:\(squatter.port)/callback"]) } throws: {
            ($0 as? PDSAuthError)?.code == .portInUse
        }
    }

    @Test func anIPLiteralIsServedOnlyThere() async throws {
        let binding = try await Self.bind(["http://127.0.0.1:0/cb"])
        #expect(binding.addressCount == 1)
        #expect(await !Self.served("[::1]", port: binding.target.port, host: "127.0.0.1"))
        await binding.stop()
    }

    @Test func bindFailuresAreClassifiedByErrno() {
        #expect(ListenerServer.BindFailure(errno: EADDRINUSE, description: "") == .inUse)
        #expect(ListenerServer.BindFailure(errno: EADDRNOTAVAIL, description: "") == .unavailable)
        #expect(ListenerServer.BindFailure(errno: EAFNOSUPPORT, description: "") == .unavailable)
        #expect(ListenerServer.BindFailure(errno: EACCES, description: "denied") == .other("denied"))
    }
}
