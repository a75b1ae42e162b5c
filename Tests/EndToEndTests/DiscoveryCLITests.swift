import Foundation
import HTTPTypes
import Hummingbird
import PDSAuth
import PDSAuthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `login --issuer`, `login --device` and `api`'s RFC 9728 check against a small scripted
/// provider (a throwaway loopback server): the hostile or odd answers a real server such as
/// django-oauth-toolkit never gives, and `slow_down`, which it does not implement.
@Suite struct DiscoveryCLITests {
    /// What the scripted provider received and how to answer.
    final class Provider: Sendable {
        let requests = LockedValue<[(path: String, at: ContinuousClock.Instant, body: String, authorization: String?)]>([])
        let metadata: @Sendable (String) -> String
        let device: @Sendable (String) -> String
        let polls: [String]

        init(
            metadata: @escaping @Sendable (String) -> String = Provider.metadata, device: @escaping @Sendable (String) -> String = Provider.device,
            polls: [String] = [#"{"access_token":"device-token-0123456789","refresh_token":"r","expires_in":3600}"#]
        ) {
            self.metadata = metadata
            self.device = device
            self.polls = polls
        }

        static func metadata(_ base: String) -> String {
            #"{"issuer":"\#(base)","authorization_endpoint":"\#(base)/authorize","token_endpoint":"\#(base)/token","device_authorization_endpoint":"\#(base)/device","code_challenge_methods_supported":["S256"]}"#
        }

        static func device(_ base: String) -> String {
            #"{"device_code":"dc-1","user_code":"WDJB-MJHT","verification_uri":"\#(base)/activate","verification_uri_complete":"\#(base)/activate?c=WDJB-MJHT","expires_in":60,"interval":1}"#
        }

        func paths(_ path: String) -> [ContinuousClock.Instant] { requests.value.filter { $0.path == path }.map(\.at) }

        func run<T>(_ body: (String) async throws -> T) async throws -> T {
            try await TestServer.run({ request in
                var request = request
                let base = "http://127.0.0.1:\(request.head.authority?.split(separator: ":").last ?? "")"
                let text = String(buffer: try await request.collectBody(upTo: 65536))
                let count = self.requests.update { list -> Int in
                    list.append((request.uri.path, .now, text, request.headers[.authorization]))
                    return list.filter { $0.path == request.uri.path }.count
                }
                switch request.uri.path {
                case "/.well-known/oauth-authorization-server": return TestServer.json(.ok, self.metadata(base))
                case "/device": return TestServer.json(.ok, self.device(base))
                case "/token":
                    let answer = self.polls[min(count - 1, self.polls.count - 1)]
                    return TestServer.json(answer.contains("access_token") ? .ok : .badRequest, answer)
                case "/.well-known/oauth-protected-resource":
                    return TestServer.json(.ok, #"{"resource":"\#(base)","authorization_servers":["https://other-issuer.example"]}"#)
                case "/api/thing":
                    return Response(
                        status: .unauthorized,
                        headers: [
                            .wwwAuthenticate: #"Bearer error="invalid_token", resource_metadata="\#(base)/.well-known/oauth-protected-resource""#
                        ])
                default: return TestServer.json(.notFound, "{}")
                }
            }) { server in try await body(server.baseURL) }
        }
    }

    static func deviceLogin(
        _ base: String, home: TemporaryDirectory, extra: [String] = []
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await InProcessCLI.run(
            ["login", "--device", "--issuer", base, "--client-id", "tv", "--profile", "tv", "--timeout", "60"] + extra,
            environment: ["PDS_AUTH_HOME": home.path])
    }

    /// `slow_down` adds 5 s to the interval for every later poll (RFC 8628 §3.5), seen in the
    /// times the polls arrive.
    @Test func slowDownMakesThePollsFiveSecondsFurtherApart() async throws {
        let provider = Provider(polls: [
            #"{"error":"authorization_pending"}"#, #"{"error":"slow_down"}"#,
            #"{"access_token":"device-token-0123456789","refresh_token":"r","expires_in":3600}"#,
        ])
        let home = TemporaryDirectory()
        let result = try await provider.run { base in try await Self.deviceLogin(base, home: home) }
        #expect(result.status == 0, "\(result.stderr)")
        let polls = provider.paths("/token")
        #expect(polls.count == 3)
        if polls.count == 3 {
            #expect(polls[1] - polls[0] >= .seconds(1) && polls[1] - polls[0] < .seconds(3), "1 s interval: \(polls[1] - polls[0])")
            #expect(polls[2] - polls[1] >= .seconds(6) && polls[2] - polls[1] < .seconds(8), "1 + 5 s after slow_down: \(polls[2] - polls[1])")
        }
        #expect(result.stderr.contains("asking every 6 s now"), "\(result.stderr)")
        #expect(!result.stdout.contains("█") && !result.stdout.contains("▀"), "no QR code when stdout is not a terminal")
        #expect(
            provider.requests.value.first { $0.path == "/token" }?.body.contains(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dc-1") == true)
        let profile = try #require(try CredentialStore(directory: home.path).profile("tv"))
        #expect(profile.accessToken == "device-token-0123456789" && profile.grant == .deviceCode)
    }

    /// Ctrl-C and `--timeout` end a device sign-in as they end a browser one: 130 (death by
    /// SIGINT) or 12, nothing saved.
    @Test func ctrlCAndTheTimeoutEndTheWait() async throws {
        let provider = Provider(polls: [#"{"error":"authorization_pending"}"#])
        try await provider.run { base in
            let home = TemporaryDirectory()
            let login = CLIProcess(
                ["login", "--device", "--issuer", base, "--client-id", "tv", "--timeout", "60"], environment: ["PDS_AUTH_HOME": home.path])
            try login.start()
            _ = try await login.waitForStderr("enter the code WDJB-MJHT")
            login.signal(SIGINT)
            #expect(try await login.wait() == 130 && login.diedOf == SIGINT, "\(login.stderr)")
            #expect(login.stderr.contains("Interrupted; nothing was saved") && !login.stderr.contains("listener"), "no listener to speak of")
            #expect(try CredentialStore(directory: home.path).profile("default") == nil)

            let started = ContinuousClock.now
            let timedOut = try await InProcessCLI.run(
                ["login", "--device", "--issuer", base, "--client-id", "tv", "--timeout", "2"],
                environment: ["PDS_AUTH_HOME": home.path])
            #expect(timedOut.status == 12 && timedOut.stderr.contains("No approval arrived within 2 s"), "\(timedOut.stderr)")
            // Without --timeout it would poll until the code expires (minutes); the margin is
            // for the suite's own load.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    /// On a terminal, the address with the code in it is drawn as a QR code that a phone's
    /// decoder reads (zbar here), beside the code and the phishing warning.
    @Test(.enabled(if: Tmux.available)) func onATerminalTheCompleteAddressIsAReadableQRCode() async throws {
        let provider = Provider(polls: [#"{"error":"authorization_pending"}"#])
        try await provider.run { base in
            let directory = TemporaryDirectory()
            try await Tmux.with(directory) { tmux in
                try await tmux.start(
                    [CLIProcess.binary(), "login", "--device", "--issuer", base, "--client-id", "tv", "--timeout", "30"],
                    environment: [
                        "PDS_AUTH_HOME": directory.path, "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                        "TERM": "xterm-256color", "PDS_CLIENT_SECRET": "tv-secret",
                    ])
                _ = try await tmux.waitFor("Never enter a code")
                let screen = try await tmux.screen()
                let symbol = screen.split(separator: "\n").map(String.init)
                    .filter { line in line.contains("█") && line.allSatisfy { " ▀▄█".contains($0) } }
                #expect(symbol.count >= 10, "\(screen)")
                let decoded = try await ZbarDecoder.decode(ZbarDecoder.modules(fromHalfBlocks: symbol))
                #expect(decoded == base + "/activate?c=WDJB-MJHT", "\(screen)")
            }
        }
    }

    /// A hostile device endpoint: escape sequences in the user code never reach the terminal.
    @Test func aUserCodeWithEscapeSequencesIsRefused() async throws {
        let provider = Provider(device: { base in
            #"{"device_code":"d","user_code":"\u001b]0;pwned\u0007\u001b[2JCODE","verification_uri":"\#(base)/a","expires_in":60}"#
        })
        let result = try await provider.run { base in try await Self.deviceLogin(base, home: TemporaryDirectory()) }
        #expect(result.status == 10 && result.stderr.contains("user_code a person can type"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"))
        #expect(provider.paths("/token").isEmpty, "never polled")
    }

    @Test(arguments: [
        (
            "another issuer",
            #"{"issuer":"https://evil.example","authorization_endpoint":"https://evil.example/a","token_endpoint":"https://evil.example/t","code_challenge_methods_supported":["S256"]}"#,
            Int32(3), "is for issuer"
        ),
        (
            "no S256",
            #"{"issuer":"BASE","authorization_endpoint":"BASE/authorize","token_endpoint":"BASE/token","code_challenge_methods_supported":["plain"]}"#,
            Int32(3), "--no-pkce"
        ),
        (
            "a remote http endpoint",
            #"{"issuer":"BASE","authorization_endpoint":"http://evil.example/a","token_endpoint":"BASE/token","code_challenge_methods_supported":["S256"]}"#,
            Int32(3), "Refusing plain http"
        ),
    ])
    func hostileMetadataStopsLoginBeforeAnythingElse(_ name: String, _ json: String, _ status: Int32, _ message: String) async throws {
        let provider = Provider(metadata: { base in json.replacingOccurrences(of: "BASE", with: base) })
        let result = try await provider.run { base in
            try await InProcessCLI.run(
                ["login", "--no-browser", "--issuer", base, "--client-id", "c", "--redirect-uri", "http://127.0.0.1:0/callback"],
                environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        }
        #expect(result.status == status && result.stderr.contains(message), "\(name): \(result.stderr)")
        #expect(!result.stderr.contains("Open http"), "no listener was started")
        #expect(provider.requests.value.map(\.path) == ["/.well-known/oauth-authorization-server"])
    }

    @Test func withoutABrowserLoginSaysDeviceExists() async throws {
        let provider = Provider()
        let empty = TemporaryDirectory()
        try await provider.run { base in
            let login = CLIProcess(
                ["login", "--no-preflight", "--issuer", base, "--client-id", "c", "--redirect-uri", "http://127.0.0.1:0/callback", "--timeout", "1"],
                environment: ["PDS_AUTH_HOME": TemporaryDirectory().path, "BROWSER": "/bin/false", "PATH": empty.path])
            try login.start()
            #expect(try await login.wait() == 12)
            #expect(login.stderr.contains("could not open a browser") && login.stderr.contains("`pds-auth login --device`"), "\(login.stderr)")
        }
    }

    @Test func deviceOptionsNeedAGenericProvider() async throws {
        let home = ["PDS_AUTH_HOME": TemporaryDirectory().path]
        let device = try await InProcessCLI.run(["login", "--device", "--domain-id", "bj1", "--client-id", "c"], environment: home)
        #expect(device.status == 2 && device.stderr.contains("--device is for generic providers"), "\(device.stderr)")
        let url = try await InProcessCLI.run(
            ["login", "--device-url", "https://x.example/d", "--domain-id", "bj1", "--client-id", "c"], environment: home)
        #expect(url.status == 2 && url.stderr.contains("--device-url is for generic providers"), "\(url.stderr)")
        let dev = try await InProcessCLI.run(["login", "--dev", "--issuer", "https://x.example"], environment: home)
        #expect(dev.status == 2, "\(dev.stderr)")
        let insecure = try await InProcessCLI.run(["login", "--issuer", "http://idp.example.com", "--client-id", "c"], environment: home)
        #expect(insecure.status == 3 && insecure.stderr.contains("Refusing plain http"), "\(insecure.stderr)")
    }

    /// A resource whose RFC 9728 metadata names another issuer than the profile's: the
    /// token is not sent to it again, and nothing is renewed.
    @Test func apiRefusesAResourceOfAnotherIssuer() async throws {
        let provider = Provider()
        let home = TemporaryDirectory()
        let result = try await provider.run { base in
            var endpoints = try ProviderEndpoints.resolve(endpoint: base, domainID: nil, authorize: "/authorize", token: "/token")
            endpoints.issuer = base
            var profile = try StoredProfile.fixture(endpoint: base, domainID: nil, accessToken: "pinned-token-0123456789")
            profile.endpoints = endpoints
            try await CredentialStore(directory: home.path).save(profile, as: "idp")
            return try await InProcessCLI.run(["api", "-X", "GET", "/api/thing"], environment: ["PDS_AUTH_HOME": home.path])
        }
        #expect(
            result.status == 3 && result.stderr.contains("https://other-issuer.example") && result.stderr.contains("not sent to it again"),
            "\(result.stderr)")
        let withToken = provider.requests.value.filter { $0.authorization != nil }
        #expect(withToken.map(\.path) == ["/api/thing"], "the token went out once, before the resource named its issuer")
        #expect(provider.paths("/token").isEmpty, "no renewal")
    }

    /// Without an issuer on record there is nothing to compare: renewed once and retried
    /// once as always, and the final refusal names the servers the resource wants.
    @Test func apiNamesTheResourcesAuthorizationServersWhenItKeepsRefusing() async throws {
        let provider = Provider()
        let home = TemporaryDirectory()
        let result = try await provider.run { base in
            var profile = try StoredProfile.fixture(endpoint: base, domainID: nil, accessToken: "typed-token-0123456789")
            profile.endpoints = try ProviderEndpoints.resolve(endpoint: base, domainID: nil, authorize: "/authorize", token: "/token")
            try await CredentialStore(directory: home.path).save(profile, as: "idp")
            return try await InProcessCLI.run(["api", "-X", "GET", "/api/thing"], environment: ["PDS_AUTH_HOME": home.path])
        }
        #expect(result.status == 7 && result.stderr.contains("authorization servers: https://other-issuer.example"), "\(result.stderr)")
        #expect(provider.paths("/api/thing").count == 2 && provider.paths("/token").count == 1)
    }
}
