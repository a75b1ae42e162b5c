import Foundation
import Glibc
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth refresh` killed with SIGKILL against a server that rotates refresh tokens:
/// at chosen system calls (deterministic) and at 200 random moments (reported). The session
/// survives every kill except in the window between the server's answer and the new tokens
/// reaching the temp file, which no client can close: the server has already retired the
/// old token.
@Suite(.serialized) struct RefreshKillTests {
    static let binary = CLIProcess.binary()

    /// Whether the saved session still works: a normal refresh succeeds with what is saved.
    static func alive(_ session: DevSession) async throws -> Bool {
        let result = try await CLIProcess.run(["refresh", "--quiet"], environment: session.environment)
        #expect(result.status == 0 || result.status == 7, "\(result.stderr)")
        return result.status == 0
    }

    enum Point: String, CaseIterable, CustomTestStringConvertible {
        /// Before the request is sent: nothing happened anywhere.
        case connect
        /// The server has rotated; the new tokens are half-way into the temp file.
        case writeTemp = "write-temp"
        /// The new tokens are all in the temp file, not yet synced: the next run adopts it.
        case wroteTemp = "wrote-temp"
        case fsyncTemp = "fsync-temp"
        case rename
        case fsyncDirectory = "fsync-dir"
        var testDescription: String { rawValue }
    }

    @Test(arguments: Point.allCases)
    func killedAtEachStepTheSessionSurvivesOutsideTheWindow(_ point: Point) async throws {
        try await DevSession.with { session in
            let before = try session.fileBytes()
            let refresh = CLIProcess(
                ["refresh", "--quiet"], environment: session.environment.merging(try await KillShim.environment(point.rawValue, 1)) { a, _ in a })
            try refresh.start()
            _ = try await refresh.wait()
            #expect(refresh.diedOf != nil, "killed at \(point): \(refresh.stderr)")
            let file = try CredentialsFile.decode(try session.fileBytes(), path: "")
            #expect(file.profiles["default"] != nil)
            if point == .connect { #expect(try session.fileBytes() == before, "nothing sent, nothing written") }
            #expect(try await Self.alive(session) == (point != .writeTemp), "\(point)")
        }
    }

    /// The window, stated as measured: it opens when the request is sent and closes when the
    /// new tokens are synced to the temp file, so it holds the server's whole processing time
    /// and the answer's transfer, not just the client's few milliseconds. A kill half-way
    /// through a server that takes 400 ms, or while a slow answer is arriving, loses the
    /// session, every time (the server rotated; the new token never reached the disk).
    @Test(arguments: [DevServerFault.delay(milliseconds: 400), .slowBody(bytesPerSecond: 200)])
    func killedWhileTheServerWorksOrAnswersTheSessionIsLost(fault: DevServerFault) async throws {
        for round in 0..<3 {
            try await DevSession.with { session in
                await session.server.faults.set(fault, times: 1)
                let refresh = CLIProcess(["refresh", "--quiet"], environment: session.environment)
                try refresh.start()
                // Killed inside the window: the server has the request (it counts it before
                // the delay, and before the slow answer), and has not yet answered it.
                try #require(try await waitUntil { await session.server.statistics().tokenRequests["refresh_token"] == 1 })
                refresh.kill()
                _ = try await refresh.wait()
                // The server finishes its work whether or not the client is still there.
                try #require(try await waitUntil { await session.server.statistics().tokenSuccesses["refresh_token"] == 1 })
                #expect(await session.server.statistics().tokenRequests["refresh_token"] == 1, "round \(round)")
                #expect(try await !Self.alive(session), "round \(round): killed inside the window, the session is lost")
            }
        }
    }

    /// 200 kills at random moments during a refresh. Reported, not asserted beyond the file
    /// always decoding: how many sessions were lost is the measure SECURITY.md quotes.
    @Test func twoHundredRandomKills() async throws {
        try await DevSession.with { session in
            let started = ContinuousClock.now
            _ = try await CLIProcess.run(["refresh", "--quiet"], environment: session.environment)
            let typical = (ContinuousClock.now - started).components
            let span = max(5, Int(typical.seconds * 1000 + typical.attoseconds / 1_000_000_000_000_000))
            var generator = SystemRandomNumberGenerator()
            var lost = 0
            var landedBeforeExit = 0
            for _ in 0..<200 {
                let refresh = CLIProcess(["refresh", "--quiet"], environment: session.environment)
                try refresh.start()
                // A random moment is the point here, so this sleep stays.
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...span, using: &generator)))
                refresh.kill()
                if try await refresh.wait() == 128 + SIGKILL || refresh.diedOf != nil { landedBeforeExit += 1 }
                _ = try CredentialsFile.decode(try session.fileBytes(), path: "")
                if try await !Self.alive(session) {
                    lost += 1
                    try await session.signInAgain()
                }
            }
            print(
                "refresh kills: 200 at random points over \(span) ms; \(landedBeforeExit) landed before the process finished; sessions lost: \(lost)")
            #expect(lost < 200, "most kills leave the session alive")
        }
    }
}
