import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// `TokenProvider` and `StandardRenewer` with the token endpoint in memory (the renewer's
/// injected `TokenExchange`), rotating refresh tokens as PDS does: what a renewal sends, that
/// concurrent callers renew once, and that a failed renewal changes nothing. Between
/// processes, against the dev server, the same is `ConcurrentRefreshTests`.
@Suite struct RenewalTests {
    /// The task a caller runs in, so the clock can tell which callers have looked at it.
    @TaskLocal static var caller: Int?

    /// A store holding `default`, its access token expired, refresh token `rt-0`.
    static func expiredStore() async throws -> (CredentialStore, TemporaryDirectory) {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("creds"))
        var profile = try StoredProfile.fixture(
            endpoint: "http://127.0.0.1:1", accessToken: "at-0-0123456789abcdef", refreshToken: "rt-0",
            expiresAt: Date(timeIntervalSinceNow: -60))
        profile.caBundlePath = "/etc/ssl/certs/profile-ca.pem"
        try await store.save(profile, as: "default", makeCurrent: true)
        return (store, temp)
    }

    static func provider(
        _ store: CredentialStore, _ endpoint: MemoryTokenEndpoint, clock: @escaping @Sendable () -> Date = { Date() }
    ) -> TokenProvider {
        TokenProvider(
            store: store, renewer: StandardRenewer(transport: TransportOptions(totalTimeout: .seconds(9)), exchange: endpoint.exchange),
            clock: clock)
    }

    @Test func aRenewalSendsTheRefreshTokenAsTheProfilesClientAndSavesTheRotatedOne() async throws {
        let (store, temp) = try await Self.expiredStore()
        let endpoint = MemoryTokenEndpoint(liveRefreshTokens: ["rt-0"])
        let profile = try await Self.provider(store, endpoint).validProfile("default", minValid: .seconds(60))
        #expect(profile.accessToken == "at-1-0123456789abcdef" && profile.refreshToken == "rt-1")
        let request = try #require(endpoint.requests.first)
        guard case .refreshToken("rt-0") = request.grant else { throw CLIProcessError(message: "\(request.grant)") }
        #expect(request.clientID == "c" && request.clientSecret == nil && request.domainID == "dev")
        #expect(request.tokenURL == profile.endpoints.tokenURL)
        #expect(
            request.transport.caBundlePath == "/etc/ssl/certs/profile-ca.pem" && request.transport.totalTimeout == .seconds(9),
            "the profile's CA bundle over the renewer's transport")
        #expect(try store.profile("default")?.refreshToken == "rt-1", "the rotated token is what is kept")
        _ = temp
    }

    /// Eight callers find the token expired at once. Each has seen the old profile before the
    /// exchange answers (the endpoint holds the first exchange until every caller has looked
    /// at the clock, which it does right after reading the profile), so each goes for the
    /// lock; only the first renews, the rest find its token under the lock. A second renewal
    /// would present the retired `rt-0` and be refused, or rotate again.
    @Test func concurrentCallersWithARotatingRefreshTokenRenewOnce() async throws {
        let (store, temp) = try await Self.expiredStore()
        let callers = 8
        let looked = LockedValue<Set<Int>>([])
        let endpoint = MemoryTokenEndpoint(
            liveRefreshTokens: ["rt-0"],
            before: {
                _ = try? await waitUntil { looked.value.count == callers }
            })
        let provider = Self.provider(store, endpoint) {
            if let caller = Self.caller { looked.update { _ = $0.insert(caller) } }
            return Date()
        }
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    try await Self.$caller.withValue(caller) { try await provider.validProfile("default", minValid: .seconds(60)).accessToken }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(looked.value.count == callers, "every caller saw the expired token before the renewal answered")
        #expect(endpoint.requests.count == 1, "renewed once, not \(endpoint.requests.count) times")
        #expect(Set(tokens) == ["at-1-0123456789abcdef"] && tokens.count == callers, "\(tokens)")
        #expect(try store.profile("default")?.refreshToken == "rt-1")
        // The kept token is the live one: the next renewal works.
        _ = try await Self.provider(store, endpoint).validProfile("default", minValid: .zero, force: true)
        #expect(try endpoint.requests.count == 2 && store.profile("default")?.refreshToken == "rt-2")
        _ = temp
    }

    /// A renewal the server refuses or cannot answer leaves the credentials file
    /// byte-identical and nothing beside it (the room claimed for the new file is given back).
    @Test(arguments: [PDSAuthError.Code.serverUnavailable, .grantRejected, .connectionLost, .invalidResponse])
    func aFailedRenewalLeavesTheFileByteIdentical(_ code: PDSAuthError.Code) async throws {
        let (store, temp) = try await Self.expiredStore()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.filePath))
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        let endpoint = MemoryTokenEndpoint(liveRefreshTokens: ["rt-0"], refusal: { _ in PDSAuthError(code, "refused in memory") })
        await #expect { try await Self.provider(store, endpoint).validProfile("default", minValid: .seconds(60)) } throws: {
            ($0 as? PDSAuthError)?.code == code
        }
        #expect(endpoint.requests.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.filePath)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted() == names)
        _ = temp
    }
}
