import Foundation
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import Testing

/// `pds-auth api` against servers that misbehave on purpose: lists that never end, servers
/// that refuse every fresh token, and paths crafted to send the token to another host.
@Suite struct ApiHostileServerTests {
    /// Counts what a hostile server saw.
    final class Seen: Sendable {
        let requests = LockedValue<[String]>([])
        let refreshes = LockedValue(0)
        func record(_ path: String) { requests.update { $0.append(path) } }
        func count(_ path: String) -> Int { requests.value.filter { $0 == path }.count }
    }

    /// A token endpoint that hands out a fresh pair for every refresh.
    static func tokenAnswer(_ seen: Seen) -> Response {
        let n = seen.refreshes.update { count -> Int in
            count += 1
            return count
        }
        return TestServer.json(.ok, #"{"access_token":"access-\#(n)","refresh_token":"refresh-\#(n)","expires_in":3600,"token_type":"Bearer"}"#)
    }

    static func home(for server: TestServer) async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        let profile = try StoredProfile.fixture(endpoint: server.baseURL, domainID: nil, accessToken: "access-0", refreshToken: "refresh-0")
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        return home
    }

    static let refused = TestServer.json(.unauthorized, #"{"code":"AccessTokenInvalid","message":"AccessToken is invalid."}"#)

    /// Issue 15: 1 MB pages with a new marker each time took pds-auth past 800 MB. The items
    /// collected are bounded (256 MiB): past it, exit 10 and nothing on stdout.
    @Test func aListThatNeverEndsStopsAtTheByteBudget() async throws {
        let seen = Seen()
        let item = "\"" + String(repeating: "x", count: 8 << 20) + "\""
        try await TestServer.run({ request in
            seen.record(request.uri.path)
            let n = seen.count("/v2/file/list")
            return TestServer.json(.ok, #"{"items":[\#(item)],"next_marker":"m\#(n)"}"#)
        }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/file/list", "--paginate"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 10 && result.stderr.contains("exceed 256 MiB"), "\(result.stderr)")
            #expect(result.stdout.isEmpty, "nothing half-printed")
            #expect((30...34).contains(seen.count("/v2/file/list")), "\(seen.count("/v2/file/list")) pages of 8 MiB")
        }
    }

    @Test func aRepeatedNextMarkerEndsTheCommand() async throws {
        let seen = Seen()
        try await TestServer.run({ request in
            seen.record(request.uri.path)
            return TestServer.json(.ok, #"{"items":[1],"next_marker":"again"}"#)
        }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/file/list", "--paginate"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 10 && result.stderr.contains("same next_marker twice"), "\(result.stderr)")
            #expect(seen.count("/v2/file/list") == 2 && result.stdout.isEmpty)
        }
    }

    @Test func anOverlongMarkerIsRefused() async throws {
        try await TestServer.run({ _ in
            TestServer.json(.ok, #"{"items":[1],"next_marker":"\#(String(repeating: "m", count: 9000))"}"#)
        }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/file/list", "--paginate"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 10 && result.stderr.contains("next_marker is longer"), "\(result.stderr)")
        }
    }

    /// An answer that is not a list page is printed as received (as `gh api --paginate`
    /// does), not replaced by `[]`.
    @Test func anAnswerWithoutItemsIsPassedThroughUnchanged() async throws {
        try await TestServer.run({ _ in TestServer.json(.ok, #"{"user_id":"u1","n":12345678901234567890}"#) }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/user/get", "--paginate"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == #"{"user_id":"u1","n":12345678901234567890}"# + "\n")
        }
    }

    /// Issue 15: a server answering 401 to the first try of every page drove a refresh per
    /// page. One renewal per command: the second page's 401 ends it (exit 7).
    @Test func oneRenewalForTheWholeCommandAcrossPages() async throws {
        let seen = Seen()
        try await TestServer.run({ request in
            if request.uri.path == "/v2/oauth/token" { return Self.tokenAnswer(seen) }
            seen.record(request.uri.path)
            // Odd requests are a page's first try: refused; even ones are answered.
            let n = seen.count("/v2/file/list")
            return n % 2 == 1 ? Self.refused : TestServer.json(.ok, #"{"items":[\#(n)],"next_marker":"m\#(n)"}"#)
        }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/file/list", "--paginate"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(seen.refreshes.value == 1, "renewed once, never more")
            #expect(seen.count("/v2/file/list") == 3 && result.stdout.isEmpty)
        }
    }

    /// A server that refuses the renewed token too: one renewal, one retry, exit 7.
    @Test func aRenewedTokenThatIsRefusedAgainIsNotRenewedTwice() async throws {
        let seen = Seen()
        try await TestServer.run({ request in
            if request.uri.path == "/v2/oauth/token" { return Self.tokenAnswer(seen) }
            seen.record(request.uri.path)
            return Self.refused
        }) { server in
            let home = try await Self.home(for: server)
            let result = try await InProcessCLI.run(["api", "/v2/user/get"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(seen.refreshes.value == 1 && seen.count("/v2/user/get") == 2)
        }
    }

    /// `status --verify` checks every profile with one client. The one renewal is per
    /// profile: when the server refuses the saved tokens of two profiles, each is renewed
    /// once and works; before, the second was reported "refused even with a fresh token"
    /// (exit 7) without ever being renewed.
    @Test func eachProfileVerifiedGetsItsOwnRenewal() async throws {
        let seen = Seen()
        try await TestServer.run({ request in
            if request.uri.path == "/v2/oauth/token" { return Self.tokenAnswer(seen) }
            seen.record(request.uri.path)
            // The tokens saved at first are refused; renewed ones work.
            if request.headers[.authorization] == "Bearer access-0" { return Self.refused }
            return TestServer.json(.ok, #"{"user_id":"u","domain_id":"d","role":"user","default_drive_id":"1"}"#)
        }) { server in
            let home = try await Self.home(for: server)
            let second = try StoredProfile.fixture(endpoint: server.baseURL, domainID: nil, accessToken: "access-0", refreshToken: "refresh-q")
            try await CredentialStore(directory: home.path).save(second, as: "q")
            let result = try await InProcessCLI.run(["status", "--verify"], environment: ["PDS_AUTH_HOME": home.path])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(seen.refreshes.value == 2, "one renewal for each profile, \(seen.refreshes.value) made")
        }
    }

    /// The token goes only to the profile's host, whatever the path looks like: every trick
    /// is either refused before sending (exit 2) or sent to the profile's own server; a
    /// second server, the one each trick names, receives nothing.
    @Test func noPathTrickSendsTheTokenToAnotherHost() async throws {
        let elsewhere = Seen()
        let home = Seen()
        try await TestServer.run({ request in
            elsewhere.record(request.uri.path + " " + (request.headers[.authorization] ?? "-"))
            return TestServer.json(.ok, "{}")
        }) { other in
            let port = other.server.port
            try await TestServer.run({ request in
                home.record(request.uri.path)
                return TestServer.json(.ok, "{}")
            }) { server in
                let profileHome = try await Self.home(for: server)
                let tricks = [
                    "@127.0.0.1:\(port)/x", "//127.0.0.1:\(port)/x", "\\\\127.0.0.1:\(port)/x", "/\\127.0.0.1:\(port)/x",
                    "%2F%2F127.0.0.1:\(port)/x", "127.0.0.1:\(port)/x", ":\(port)/x", "/@127.0.0.1:\(port)/x",
                    "http:127.0.0.1:\(port)/x", "http://127.0.0.1:\(port)/x", "HTTP://127.0.0.1:\(port)/x",
                    "?@127.0.0.1:\(port)/x", "#@127.0.0.1:\(port)/x", "/x/../../@127.0.0.1:\(port)", "/ @127.0.0.1:\(port)/x",
                    "/%0d%0aHost:127.0.0.1:\(port)",
                ]
                for trick in tricks {
                    let result = try await InProcessCLI.run(["api", trick], environment: ["PDS_AUTH_HOME": profileHome.path])
                    #expect([0, 2].contains(result.status), "\(trick): \(result.status) \(result.stderr)")
                }
                #expect(elsewhere.requests.value.isEmpty, "the other server saw: \(elsewhere.requests.value)")
                #expect(!home.requests.value.isEmpty, "some tricks were plain paths on the profile's own host")
            }
        }
    }
}
