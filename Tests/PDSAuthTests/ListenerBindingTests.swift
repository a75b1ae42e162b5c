import Foundation
import Hummingbird
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

/// Which ports and addresses the listener takes: the first free registered redirect URI;
/// `localhost` on both loopback families; a clear error when every port is taken.
@Suite struct ListenerBindingTests {
    static func session() throws -> LoginSession {
        let session = LoginSession(expectedState: "s", pages: try PageRenderer()) { _ in
            .failure(PDSAuthError(.failure, code: "unused", "unused"))
        }
        session.setStartPage("<p>start</p>")
        return session
    }

    /// A port that was free a moment ago.
    static func freePort() async throws -> Int {
        let probe = try await ListenerServer.start(host: "127.0.0.1", port: 0,
            responder: CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok) }, logger: .init(label: "t"))
        await probe.stop()
        return probe.port
    }

    @Test func firstFreeOfSeveralRedirectURIsIsUsed() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { busy in
            let free = try await Self.freePort()
            let candidates = try [busy.server.port, free].map { try RedirectTarget(parsing: "http://127.0.0.1:\($0)/callback") }
            let binding = try await ListenerBinding.bind(candidates, session: try Self.session(), pages: try PageRenderer(), logger: .init(label: "t"))
            #expect(binding.target.port == free && binding.target.uri == candidates[1].uri)
            #expect(try await ScriptedBrowser().get("http://127.0.0.1:\(free)/").status == 200)
            await binding.stop()
        }
    }

    @Test func everyPortBusyNamesThemAll() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { one in
            try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { two in
                let candidates = try [one.server.port, two.server.port].map { try RedirectTarget(parsing: "http://127.0.0.1:\($0)/cb") }
                await #expect {
                    try await ListenerBinding.bind(candidates, session: try Self.session(), pages: try PageRenderer(), logger: .init(label: "t"))
                } throws: { error in
                    guard let error = error as? PDSAuthError else { return false }
                    return error.status == .listenerUnavailable && error.code == "port_in_use"
                        && error.message.contains("\(one.server.port), \(two.server.port)") && error.hint?.contains("registered") == true
                }
            }
        }
    }

    @Test func localhostIsServedOnIPv4AndIPv6() async throws {
        let port = try await Self.freePort()
        let target = try RedirectTarget(parsing: "http://localhost:\(port)/callback")
        let binding = try await ListenerBinding.bind([target], session: try Self.session(), pages: try PageRenderer(), logger: .init(label: "t"))
        #expect(binding.addressCount == 2)
        for address in ["127.0.0.1", "[::1]"] {
            // Host names the URI's host, as a browser sends it; the address is what it connected to.
            let client = CurlClient()
            let response = try await client.send(HTTPClientRequest(method: .get, url: URL(string: "http://\(address):\(port)/")!,
                                                                   headers: [("Host", "localhost:\(port)")]))
            #expect(response.status == 200, "\(address)")
        }
        await binding.stop()
    }

    @Test func anIPLiteralIsServedOnlyThere() async throws {
        let port = try await Self.freePort()
        let binding = try await ListenerBinding.bind([try RedirectTarget(parsing: "http://127.0.0.1:\(port)/cb")],
                                                     session: try Self.session(), pages: try PageRenderer(), logger: .init(label: "t"))
        #expect(binding.addressCount == 1)
        await #expect(throws: (any Error).self) {
            try await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://[::1]:\(port)/")!))
        }
        await binding.stop()
    }
}
