import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The listener's connection bounds, each in isolation and in-process: nothing a client
/// sends (or does not send) holds a connection beyond its deadline, and a full listener
/// makes room for a new connection. The load test against the real binary under a small
/// descriptor limit is `EndToEndTests.HostileLoadTests`.
@Suite struct ListenerHardeningTests {
    static let quick = ListenerLimits(
        idleTimeout: .seconds(1), headerDeadline: .milliseconds(800), connectionLifetime: .seconds(2),
        maxConnections: 10, maxHeaderFieldSize: 8192, maxHeaderListSize: 32768, maxHeaderFieldCount: 100)

    static func withListener(limits: ListenerLimits = quick, _ body: (Int) async throws -> Void) async throws {
        let binding = try await ListenerBinding.bind(
            [try RedirectTarget(parsing: "http://127.0.0.1:0/callback")], answers: LoginAnswers(),
            pages: try LoginPages(), logger: .init(label: "t"), limits: limits)
        do {
            try await body(binding.target.port)
            await binding.stop()
        } catch {
            await binding.stop()
            throw error
        }
    }

    static func request(_ path: String, port: Int) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
    }

    /// Only the head deadline is short here: idle timeout and lifetime are a minute, so the
    /// connection closing within a couple of seconds is the deadline's doing, nothing else's.
    @Test func aTrickledHeadIsCutOffAtTheDeadline() async throws {
        let limits = ListenerLimits(
            idleTimeout: .seconds(60), headerDeadline: .milliseconds(800), connectionLifetime: .seconds(60),
            maxConnections: 10, maxHeaderFieldSize: 8192, maxHeaderListSize: 32768, maxHeaderFieldCount: 100)
        try await Self.withListener(limits: limits) { port in
            let slow = try #require(RawConnection(port: port))
            let started = ContinuousClock.now
            slow.send(Array("GET / HTTP/1.1\r\n".utf8))
            // A header byte every 200 ms: never idle, but the head never completes.
            var closed = false
            for _ in 0..<75 where !closed {
                slow.send(Array("X".utf8))
                closed = await slow.closedByPeer(within: 200)
            }
            #expect(closed, "a trickled request head is cut off")
            // Well within the minute of the other bounds: the 0.8 s head deadline's doing (the
            // margin is for a machine busy with the rest of the suite).
            #expect(ContinuousClock.now - started < .seconds(12), "by the 0.8 s head deadline")
        }
    }

    @Test func aSilentConnectionIsClosed() async throws {
        try await Self.withListener { port in
            let idle = try #require(RawConnection(port: port))
            #expect(await idle.closedByPeer(within: 3000))
        }
    }

    /// `GET /favicon.ico` announcing a 100 MB body, then one byte every few seconds: the
    /// listener does not wait for the body; it answers and closes at once.
    @Test func aRequestAnnouncingABodyIsAnsweredAndClosedAtOnce() async throws {
        try await Self.withListener(limits: .standard) { port in
            let connection = try #require(RawConnection(port: port))
            connection.send(Array("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 100000000\r\n\r\nx".utf8))
            let reply = try #require(await connection.firstReply(within: 1000), "answered within a second, not after the body")
            #expect(reply.hasPrefix("HTTP/1.1 413"))
            #expect(await connection.closedByPeer(within: 1000))
        }
    }

    /// A client that keeps a connection busy with a fresh request before every deadline is
    /// still closed at the connection's lifetime.
    /// Only the lifetime is short here (the other bounds are a minute), so the connection
    /// closing well within that minute is the lifetime's doing; the margin is for a machine
    /// busy with the rest of the suite.
    @Test func noConnectionOutlivesItsLifetime() async throws {
        let limits = ListenerLimits(
            idleTimeout: .seconds(60), headerDeadline: .seconds(60), connectionLifetime: .seconds(2),
            maxConnections: 10, maxHeaderFieldSize: 8192, maxHeaderListSize: 32768, maxHeaderFieldCount: 100)
        try await Self.withListener(limits: limits) { port in
            let busy = try #require(RawConnection(port: port))
            let started = ContinuousClock.now
            var closed = false
            while !closed, ContinuousClock.now - started < .seconds(20) {
                busy.send(Self.request("/favicon.ico", port: port))
                closed = await busy.closedByPeer(within: 300)
            }
            #expect(closed && ContinuousClock.now - started < .seconds(15), "closed after its 2 s lifetime")
        }
    }

    /// With every slot taken by idle connections, a new one is served and the oldest idle
    /// one gives way. The timeouts are far longer than the wait here, so only eviction can
    /// serve the newcomer; the wait itself is generous (a busy machine), the speed under load
    /// is HostileLoadTests' to measure.
    @Test func aFullListenerMakesRoomForANewConnection() async throws {
        let patient = ListenerLimits(
            idleTimeout: .seconds(60), headerDeadline: .seconds(60), connectionLifetime: .seconds(120),
            maxConnections: 10, maxHeaderFieldSize: 8192, maxHeaderListSize: 32768, maxHeaderFieldCount: 100)
        try await Self.withListener(limits: patient) { port in
            var idle: [RawConnection] = []
            for _ in 0..<10 { idle.append(try #require(RawConnection(port: port))) }
            // All ten accepted (and so registered, in order, on the listener's one event loop)
            // before the newcomer arrives.
            try #require(try await waitUntil { ListenQueue.pending(port: port) == 0 })
            let newcomer = try #require(RawConnection(port: port))
            newcomer.send(Self.request("/favicon.ico", port: port))
            let reply = await newcomer.firstReply(within: 15_000)
            #expect(reply?.hasPrefix("HTTP/1.1 404") == true)
            // Exactly one gave way, one of the first (the server registers connections on two
            // event loops, so its order of arrival can differ from ours by a place or two).
            var closed: [Int] = []
            for (index, connection) in idle.enumerated() where await connection.closedByPeer(within: 200) { closed.append(index) }
            #expect(closed.count == 1 && closed[0] < 4, "one of the oldest idle connections was closed to make room: \(closed)")
        }
    }

    @Test func anOverlongRequestLineGets400AndIsClosed() async throws {
        try await Self.withListener(limits: .standard) { port in
            let long = try #require(RawConnection(port: port))
            long.send(Array("GET /callback?state=\(String(repeating: "a", count: 200_000)) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
            let reply = try #require(await long.firstReply(within: 3000), "the server must answer or close, not wait")
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 400"), "\(reply.prefix(40))")
        }
    }

    @Test func oversizedHeadersGet400AndAreClosed() async throws {
        try await Self.withListener(limits: .standard) { port in
            let big = try #require(RawConnection(port: port))
            big.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n".utf8))
            #expect(await big.closedByPeer(within: 3000))
        }
    }

    @Test func junkGets400AndIsClosed() async throws {
        try await Self.withListener(limits: .standard) { port in
            let junk = try #require(RawConnection(port: port))
            junk.send((0..<512).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })
            let reply = try #require(await junk.firstReply(within: 3000))
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 400"))
            #expect(await junk.closedByPeer(within: 3000))
        }
    }

    @Test func connectionCapFollowsTheDescriptorLimit() {
        let cap = ListenerLimits.defaultMaxConnections()
        #expect(cap >= 8 && cap <= 256)
    }
}
