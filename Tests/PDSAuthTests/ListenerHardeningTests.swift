import Foundation
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

/// The listener under hostile local traffic: slow and junk connections must not delay the
/// real redirect, nor pin connections forever, nor grow memory without bound.
@Suite(.serialized) struct ListenerHardeningTests {
    static func listener(limits: ListenerLimits = .standard) async throws -> (ListenerServer, LoginSession) {
        let pages = try PageRenderer()
        let profile = try CredentialStoreTests.profile("token-under-load-0123456789")
        let session = LoginSession(expectedState: "the-state", pages: pages) { _ in
            .success(LoginResult(profileName: "default", profile: profile, credentialsPath: "/dev/null"))
        }
        session.setStartPage("start")
        let target = try RedirectTarget(parsing: "http://127.0.0.1:0/callback")
        let server = try await ListenerServer.start(host: "127.0.0.1", port: 0,
            responder: ListenerResponder(target: target, pages: pages, session: session), logger: .init(label: "t"), limits: limits)
        session.setBoundPort(server.port)
        return (server, session)
    }

    @Test func realCallbackCompletesWithin1sUnder500HostileConnections() async throws {
        // Other suites run alongside on 2 cores (Chromium among them), so one slow attempt
        // may be the neighbours' doing: up to 3 fresh attempts, each must answer correctly,
        // and at least one within the second.
        var timings: [Duration] = []
        for _ in 0..<3 {
            let (elapsed, grown) = try await Self.callbackUnderLoad()
            timings.append(elapsed)
            // Reported for SECURITY.md's table; the assertions are the pass/fail line.
            print("load: 500 hostile connections held; real callback answered in \(elapsed); RSS grew \(grown) KiB")
            #expect(grown < 64 * 1024, "memory grew by \(grown) KiB")
            if elapsed < .seconds(1) { break }
        }
        #expect(timings.contains { $0 < .seconds(1) }, "took \(timings)")
    }

    /// One attempt: 500 hostile connections held open (a third half-sent heads, a third
    /// random junk, a third silent), then the real redirect; its latency and RSS growth.
    static func callbackUnderLoad() async throws -> (Duration, Int) {
        let (server, _) = try await Self.listener()
        let before = residentKiB()
        var hostile: [RawConnection] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<500 {
            guard let connection = RawConnection(port: server.port) else { continue }
            switch index % 3 {
            case 0: connection.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8))
            case 1: connection.send((0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) })
            default: break
            }
            hostile.append(connection)
        }
        #expect(hostile.count == 500)
        // Let the listener accept them all (and answer the junk) so they are really held.
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        let page = try await ScriptedBrowser().get("http://127.0.0.1:\(server.port)/callback?code=c&state=the-state")
        let elapsed = ContinuousClock.now - started
        #expect(page.status == 200 && page.html.contains("Signed in"))
        let grown = residentKiB() - before
        hostile.removeAll()
        await server.stop()
        return (elapsed, grown)
    }

    @Test func slowHeadersAndIdleConnectionsAreClosed() async throws {
        let limits = ListenerLimits(idleTimeout: .seconds(1), headerDeadline: .milliseconds(800),
                                    maxHeaderFieldSize: 8192, maxHeaderListSize: 32768, maxHeaderFieldCount: 100)
        let (server, _) = try await Self.listener(limits: limits)
        let slow = try #require(RawConnection(port: server.port))
        slow.send(Array("GET / HTTP/1.1\r\n".utf8))
        // Trickle a header byte every 200 ms: never idle, but the head never completes.
        var closed = false
        for _ in 0..<15 where !closed {
            slow.send(Array("X".utf8))
            closed = await slow.closedByPeer(within: 200)
        }
        #expect(closed, "a trickled request head is cut off")
        let idle = try #require(RawConnection(port: server.port))
        #expect(await idle.closedByPeer(within: 3000), "a silent connection is closed")
        await server.stop()
    }

    @Test func overlongRequestLineIsRefused() async throws {
        let (server, _) = try await Self.listener()
        let long = try #require(RawConnection(port: server.port))
        long.send(Array("GET /callback?state=\(String(repeating: "a", count: 200_000)) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n".utf8))
        let reply = try #require(await long.firstReply(within: 3000), "the server must answer or close, not wait")
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 4"), "\(reply.prefix(40))")
        await server.stop()
    }

    @Test func oversizedHeadersAreRefused() async throws {
        let (server, _) = try await Self.listener()
        let big = try #require(RawConnection(port: server.port))
        big.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n".utf8))
        #expect(await big.closedByPeer(within: 3000))
        await server.stop()
    }
}
