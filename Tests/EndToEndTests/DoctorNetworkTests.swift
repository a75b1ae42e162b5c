import Foundation
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth doctor` towards the network: each endpoint reached with one bounded request, the
/// clock judged by the server's `Date`, the CA bundle and the proxy named — against small
/// in-test servers that lie about the time, send hostile headers, or never answer.
@Suite struct DoctorNetworkTests {
    static func withEndpoint<T>(dateOffset: Int, _ body: (String) async throws -> T) async throws -> T {
        let server = try #require(
            CannedHTTPServer { _ in CannedHTTPServer.reply(headers: ["Date: " + CannedHTTPServer.httpDate(offset: dateOffset)]) })
        defer { server.stop() }
        return try await body("http://127.0.0.1:\(server.port)")
    }

    /// A server clock two hours ahead is a problem (exit 3, "behind"), one two minutes behind
    /// too ("ahead of"); ten seconds is within what JWT assertions allow, and fine.
    @Test func aSkewedServerClockIsAProblem() async throws {
        for (offset, status, words) in [(7200, Int32(3), "behind the server"), (-120, 3, "ahead of the server"), (10, 0, "behind the server")] {
            try await Self.withEndpoint(dateOffset: offset) { endpoint in
                let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: endpoint))])
                let result = try await DoctorRun.run(DoctorRun.anyPort + ["--json"], ["PDS_AUTH_HOME": home.path])
                #expect(result.status == status, "offset \(offset): \(result.output)")
                let facts = try #require(try result.checks("endpoint").first?["facts"] as? [String: Any])
                let skew = try #require(facts["clock_skew_seconds"] as? Int, "\(facts)")
                #expect(abs(skew - offset) <= 5, "offset \(offset) measured as \(skew)")
                #expect((facts["clock"] as? String)?.contains(words) == true, "\(facts)")
                if status != 0 {
                    let problem = try #require(try result.checks("endpoint").first?["problem"] as? [String: Any])
                    #expect(
                        problem["code"] as? String == "clock_skew" && (problem["advice"] as? String)?.contains("timedatectl") == true, "\(problem)")
                }
            }
        }
    }

    /// What a hostile server sends is neither shown nor trusted: a `Date` holding escape
    /// sequences is "not an HTTP date", other headers are never printed, and 100 KiB of
    /// headers is cut off (exit 10) instead of read.
    @Test func hostileHeadersAreNeitherShownNorTrusted() async throws {
        let hostile = try #require(
            CannedHTTPServer { _ in
                CannedHTTPServer.reply(headers: [
                    "Date: Sun, 06 Nov 1994 08:49:37 \u{1B}[2J", "X-Trap: \u{1B}]0;owned\u{07}\u{202E}", "Server: \u{1B}[31mred",
                ])
            })
        defer { hostile.stop() }
        let home = TemporaryDirectory()
        let result = try await DoctorRun.run(DoctorRun.anyPort + ["--endpoint", "http://127.0.0.1:\(hostile.port)"], ["PDS_AUTH_HOME": home.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("clock: unknown: the server's Date header is not an HTTP date (not shown)"), "\(result.stdout)")
        #expect(
            !result.output.contains("\u{1B}") && !result.output.contains("\u{07}") && !result.output.contains("\u{202E}")
                && !result.output.contains("owned"))

        let flood = try #require(
            CannedHTTPServer { _ in CannedHTTPServer.reply(headers: (0..<1600).map { "X-Filler-\($0): " + String(repeating: "a", count: 60) }) })
        defer { flood.stop() }
        let flooded = try await DoctorRun.run(DoctorRun.anyPort + ["--endpoint", "http://127.0.0.1:\(flood.port)"], ["PDS_AUTH_HOME": home.path])
        #expect(flooded.status == 10 && flooded.stdout.contains("sent an answer larger than pds-auth accepts"), "\(flooded.output)")
    }

    /// An endpoint that accepts and never answers costs at most the probe's 5 s, whatever
    /// PDS_AUTH_HTTP_TIMEOUT allows other commands (here an hour): exit 9.
    @Test func anEndpointThatHangsIsBounded() async throws {
        let silent = try #require(CannedHTTPServer { _ in nil })
        defer { silent.stop() }
        let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: "http://127.0.0.1:\(silent.port)"))])
        let started = ContinuousClock.now
        let result = try await DoctorRun.run(DoctorRun.anyPort, ["PDS_AUTH_HOME": home.path, "PDS_AUTH_HTTP_TIMEOUT": "3600"])
        let took = ContinuousClock.now - started
        #expect(result.status == 9, "\(result.output)")
        #expect(result.stdout.contains("✗ endpoint http://127.0.0.1:\(silent.port): 127.0.0.1 did not answer in time"), "\(result.stdout)")
        // Without the probe's bound it would wait the hour PDS_AUTH_HTTP_TIMEOUT allows; the
        // upper margin is for the suite's own load on a 2-core machine (14 s seen).
        #expect(took >= .seconds(4) && took < .seconds(60), "took \(took)")
        #expect(
            silent.requests.value.count == 1 && silent.requests.value.first?.hasPrefix("HEAD / HTTP/1.1\r\n") == true,
            "one HEAD, never retried: \(silent.requests.value)")
    }

    /// The CA bundle in use is named with where it came from (`--cacert` before
    /// `CURL_CA_BUNDLE` before `SSL_CERT_FILE`), and one that is missing, not a file (a FIFO is
    /// not waited on) or holds no certificate is a problem (exit 3) before any TLS failure.
    @Test func aBogusCABundleIsNamed() async throws {
        let files = TemporaryDirectory()
        try "not a certificate\n".write(toFile: files.file("bogus.pem"), atomically: true, encoding: .utf8)
        #expect(mkfifo(files.file("fifo.pem"), 0o600) == 0)
        let home = try await DoctorRun.home([("main", try DoctorRun.profile(endpoint: "https://pds.example.test"))])
        let cases: [([String], [String: String], String)] = [
            ([], ["SSL_CERT_FILE": files.file("bogus.pem")], "The CA bundle named by SSL_CERT_FILE holds no PEM certificate"),
            (
                [], ["SSL_CERT_FILE": files.file("bogus.pem"), "CURL_CA_BUNDLE": files.file("absent.pem")],
                "The CA bundle named by CURL_CA_BUNDLE cannot be used: \(files.file("absent.pem")) cannot be read: No such file or directory"
            ),
            (
                ["--cacert", files.file("fifo.pem")], ["CURL_CA_BUNDLE": files.file("bogus.pem")],
                "The CA bundle named by --cacert cannot be used: \(files.file("fifo.pem")) cannot be read: not a regular file"
            ),
        ]
        for (arguments, variables, message) in cases {
            let started = ContinuousClock.now
            let result = try await DoctorRun.run(DoctorRun.anyPort + arguments, variables.merging(["PDS_AUTH_HOME": home.path]) { a, _ in a })
            // A FIFO waited on would never end; the margin is for the suite's own load.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(result.status == 3, "\(result.output)")
            #expect(result.stdout.contains("✗ tls and proxy: \(message)"), "\(result.stdout)")
            #expect(result.stdout.contains("what to do: Name a PEM file of CA certificates"), "\(result.stdout)")
        }
    }

    /// The proxy each endpoint would use is named (without its password), an https endpoint
    /// goes through it (the stand-in proxy sees one CONNECT), and loopback never does.
    @Test func proxiesAreNamedAndLoopbackBypassesThem() async throws {
        try await ProxyTests.withProxy { proxy, seen in
            try await TestServer.run({ _ in TestServer.json(.ok, "{}") }) { local in
                let port = URL(string: proxy)!.port!
                let withPassword = "http://user:\(DoctorRun.proxyPassword)@127.0.0.1:\(port)"
                let home = try await DoctorRun.home([
                    ("local", try DoctorRun.profile(endpoint: local.baseURL)),
                    ("remote", try DoctorRun.profile(endpoint: "https://pds.example.test")),
                ])
                let environment = ["PDS_AUTH_HOME": home.path, "https_proxy": withPassword, "http_proxy": withPassword, "no_proxy": "other.example"]
                let result = try await DoctorRun.run(DoctorRun.anyPort, environment)
                #expect(result.status == 9, "the stand-in proxy refuses the tunnel: \(result.output)")
                #expect(result.stdout.contains("✓ endpoint \(local.baseURL): reachable (HTTP 200)"), "\(result.stdout)")
                #expect(result.stdout.contains("    proxy: direct (loopback: never through a proxy)"), "\(result.stdout)")
                #expect(result.stdout.contains("✗ endpoint https://pds.example.test:"), "\(result.stdout)")
                #expect(result.stdout.contains("    proxy: via proxy http://127.0.0.1:\(port) (from https_proxy)"), "\(result.stdout)")
                #expect(
                    result.stdout.contains("    https proxy: http://127.0.0.1:\(port)\n    no proxy: other.example\n    http proxy: ignored"),
                    "\(result.stdout)")
                #expect(result.stdout.contains("    loopback: direct (loopback: never through a proxy)"), "\(result.stdout)")
                #expect(seen.value == ["CONNECT pds.example.test:443"], "\(seen.value)")
                #expect(!result.output.contains("user:"), "no proxy user either")
            }
        }
    }
}
