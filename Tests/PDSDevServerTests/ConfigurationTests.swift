import Foundation
import Logging
import Testing

@testable import PDSDevServer

@Suite struct ConfigurationTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::1", "localhost", "LocalHost"])
    func loopbackHostsAreAccepted(host: String) throws {
        let configuration = try DevServerConfiguration(host: host)
        #expect(configuration.host == host)
    }

    @Test(arguments: ["0.0.0.0", "192.168.1.10", "128.0.0.1", "127.000.0.1", "::", "::2", "example.com", "", "127.0.0.1.nip.io"])
    func nonLoopbackHostsAreRefused(host: String) {
        #expect(throws: DevServerError.nonLoopbackHost(host)) { try DevServerConfiguration(host: host) }
    }

    @Test func serverRefusesAHostChangedAfterInit() throws {
        var configuration = try Fixture.configuration()
        configuration.host = "0.0.0.0"
        #expect(throws: DevServerError.nonLoopbackHost("0.0.0.0")) {
            try DevServer(configuration: configuration, logger: Logger(label: "test"), keys: TestKeys.server, clock: .system)
        }
    }

    @Test func invalidConfigurationsAreRefused() throws {
        func refusal(_ change: (inout DevServerConfiguration) -> Void) throws -> DevServerError? {
            var configuration = try Fixture.configuration()
            change(&configuration)
            do {
                _ = try DevServer(configuration: configuration, logger: Logger(label: "test"), keys: TestKeys.server, clock: .system)
                return nil
            } catch {
                return error
            }
        }
        #expect(try refusal { $0.users = [] } == .noUsers)
        #expect(try refusal { $0.port = 70000 } == .invalidPort(70000))
        #expect(try refusal { $0.domainID = "" } == .emptyDomainID)
        #expect(try refusal { $0.codeLifetime = 0 } == .nonPositiveLifetime("codeLifetime"))
        #expect(try refusal { $0.apps.append($0.apps[0]) } == .duplicateClientID(Fixture.webClientID))
        #expect(try refusal { $0.users.append($0.users[0]) } == .duplicateUserID("user-1"))
        #expect(
            try refusal { $0.apps[0].redirectURIs = ["http://127.0.0.1/cb#frag"] }
                == .invalidRedirectURI(clientID: Fixture.webClientID, uri: "http://127.0.0.1/cb#frag"))
        #expect(
            try refusal { $0.apps[0].redirectURIs = ["/relative"] }
                == .invalidRedirectURI(clientID: Fixture.webClientID, uri: "/relative"))
        guard case .invalidJWTPublicKey(let clientID, _) = try refusal({ $0.apps[2].jwtPublicKeyPEM = "not a key" }) else {
            Issue.record("a bad JWT public key was accepted")
            return
        }
        #expect(clientID == Fixture.jwtClientID)
    }

    @Test func demoConfigurationHasTheThreeAppKindsAndUsers() throws {
        let redirect = "http://127.0.0.1:53682/callback"
        let demo = DevServerConfiguration.demo(redirectURIs: [redirect], port: 9999)
        #expect(demo.port == 9999)
        #expect(demo.host == "127.0.0.1")
        #expect(demo.apps.map(\.clientID) == ["pds-auth-demo", "pds-auth-native", "pds-auth-jwt"])
        #expect(demo.apps.allSatisfy { $0.redirectURIs == [redirect] })
        let secret = try #require(demo.apps[0].clientSecret)
        #expect(secret.count == 32)
        #expect(DevServerConfiguration.demo(redirectURIs: []).apps[0].clientSecret != secret)
        #expect(demo.apps[1].clientSecret == nil)
        #expect(demo.apps[2].usesJWTBearer && demo.apps[2].jwtPublicKeyPEM == nil)
        #expect(demo.users.first?.userName == "pdsuser")
        try demo.validate()
    }

    @Test func generatedJWTKeyIsOfferedOnlyWhenTheServerMadeIt() async throws {
        let generated = try Fixture()
        #expect(try await generated.server.generatedJWTPrivateKeyPEM == TestKeys.server.jwtApp?.pemRepresentation)
        let given = try Fixture { $0.apps[2].jwtPublicKeyPEM = TestKeys.stranger.publicKey.pemRepresentation }
        #expect(try await given.server.generatedJWTPrivateKeyPEM == nil)
    }

    @Test func summaryNamesEndpointsAppsAndUsers() throws {
        let fixture = try Fixture()
        let summary = fixture.server.summary(baseURL: "http://127.0.0.1:4321")
        for expected in [
            "http://127.0.0.1:4321", "domain id:  devdomain", "http://127.0.0.1:4321/.well-known/jwks.json",
            "http://127.0.0.1:4321/v2/oauth/token", "http://127.0.0.1:4321/v2/account/revoke",
            "http://127.0.0.1:4321/v2/oauth/revoke  (generic OAuth revocation, not a PDS API)",
            "http://127.0.0.1:4321/v2/user/get", "http://127.0.0.1:4321/v2/drive/list",
            "http://127.0.0.1:4321/v2/file/list", "domain_id:  required", Fixture.webClientID, Fixture.webSecret, Fixture.redirectURI,
            Fixture.nativeClientID, "PKCE required", Fixture.jwtClientID, "generated at start",
            "pdsuser", "user-1", "alice", "(default)",
        ] {
            #expect(summary.contains(expected), "summary lacks \(expected)")
        }
    }

    @Test func urlHostsBracketIPv6() {
        #expect(DevServer.baseURL(host: "::1", port: 80) == "http://[::1]:80")
        #expect(DevServer.baseURL(host: "localhost", port: 1) == "http://localhost:1")
        #expect(LoopbackHost.bindAddress("localhost") == "127.0.0.1")
        #expect(LoopbackHost.bindAddress("[::1]") == "::1")
    }
}
