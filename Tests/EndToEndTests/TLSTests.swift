import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// TLS verification against a local HTTPS token endpoint signed by a private CA: refused
/// by default, accepted only when the CA is named (`--cacert` via the profile, or
/// `SSL_CERT_FILE`). There is no switch that turns verification off.
@Suite struct TLSTests {
    /// A private CA and a server certificate for 127.0.0.1, made with openssl.
    static func certificates(_ temp: TemporaryDirectory) async throws {
        func openssl(_ arguments: [String]) async throws {
            let result = try await ChildTool.run("/usr/bin/openssl", arguments, in: temp.path)
            #expect(result.status == 0, "openssl \(arguments): \(result.output)")
        }
        try await openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=pds-auth test CA",
        ])
        try await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: temp.file("san.ext")))
        try await openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
            "-days", "2", "-extfile", "san.ext",
        ])
    }

    static let server = #"""
        import http.server, json, ssl, sys
        class Token(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                body = json.dumps({"access_token": "tls-token", "expires_in": 3600, "refresh_token": "tls-refresh"}).encode()
                self.send_response(200); self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Token)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    @Test func privateCAIsRefusedUnlessNamed() async throws {
        let temp = TemporaryDirectory()
        try await Self.certificates(temp)
        try Data(Self.server.utf8).write(to: URL(fileURLWithPath: temp.file("server.py")))
        let python = CLIProcess(
            ["python3", temp.file("server.py"), temp.file("server.pem"), temp.file("server.key")], environment: [:],
            executable: "/usr/bin/env")
        try python.start()
        // SIGKILL (deinit): nothing to clean up, and it cannot be ignored or blocked.
        defer { python.kill() }
        let line = try await python.waitForStdout("\n")
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), "\(line) \(python.stderr)")
        let tokenURL = URL(string: "https://127.0.0.1:\(port)/v2/oauth/token")!

        // Library: the system store does not know our CA.
        do throws(PDSAuthError) {
            _ = try await TokenClient(http: CurlClient(), tokenURL: tokenURL, clientID: "c", clientSecret: nil).request(.refreshToken("r"))
            Issue.record("an unknown CA must be refused")
        } catch {
            #expect(error.code == .tlsFailure, "\(error)")
        }
        let trusted = CurlClient(options: TransportOptions(caBundlePath: temp.file("ca.pem")))
        #expect(
            try await TokenClient(http: trusted, tokenURL: tokenURL, clientID: "c", clientSecret: nil).request(.refreshToken("r")).accessToken
                == "tls-token")

        // CLI: a profile on that endpoint, token expired.
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        var profile = StoredProfile(
            grant: .authorizationCode, endpoints: try ProviderEndpoints.resolve(endpoint: "https://127.0.0.1:\(port)", domainID: nil),
            domainID: "d", clientID: "c", clientSecret: nil, redirectURI: nil, scope: nil, caBundlePath: nil,
            accessToken: "old", refreshToken: "r", tokenType: nil, expiresAt: Date(timeIntervalSinceNow: -10),
            obtainedAt: Date(), user: nil)
        try await store.save(profile, as: "default")
        let refused = try await InProcessCLI.run(["token"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(refused.status == 9 && refused.stderr.contains("could not be verified"), "\(refused.stderr)")
        let viaEnvironment = try await InProcessCLI.run(["token"], environment: ["PDS_AUTH_HOME": home.path, "SSL_CERT_FILE": temp.file("ca.pem")])
        #expect(viaEnvironment.status == 0 && viaEnvironment.stdout == "tls-token\n", "\(viaEnvironment.stderr)")
        // A CA remembered from `--cacert` at sign-in works without any environment.
        profile.caBundlePath = temp.file("ca.pem")
        profile.expiresAt = Date(timeIntervalSinceNow: -10)
        try await store.save(profile, as: "default")
        let viaProfile = try await InProcessCLI.run(["token"], environment: ["PDS_AUTH_HOME": home.path])
        #expect(viaProfile.status == 0, "\(viaProfile.stderr)")
    }
}
