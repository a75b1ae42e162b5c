import Foundation
import Testing

@testable import PDSDevServer

@Suite struct RefreshTokenTests {
    @Test func refreshRotatesAndTheOldTokenDies() async throws {
        try await Fixture().test { client in
            let first = try await client.signIn()
            let old = try #require(first.refreshToken, "refresh token")
            let response = try await client.refresh(old)
            #expect(response.status == .ok)
            let second = try response.decode(TokenResponseBody.self)
            let new = try #require(second.refreshToken, "rotated refresh token")
            #expect(new != old)
            #expect(second.accessToken != first.accessToken)
            #expect(second.userID == first.userID)
            #expect(second.deviceID == first.deviceID)
            let reused = try await client.refresh(old)
            #expect(reused.status == .badRequest)
            #expect(reused.pdsError?.code == "InvalidParameter.RefreshToken")
            #expect(reused.pdsError?.message.contains("already used") == true)
            #expect(try await client.refresh(new).status == .ok)
        }
    }

    @Test func onlyOneOfConcurrentRefreshesWins() async throws {
        try await Fixture().test { client in
            let token = try #require(try await client.signIn().refreshToken, "refresh token")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await client.refresh(token).status.code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 400 }.count == 5)
        }
    }

    @Test func foreignOrUnauthenticatedRefreshLeavesTheTokenAlive() async throws {
        try await Fixture().test { client in
            let token = try #require(try await client.signIn().refreshToken, "refresh token")
            let foreign = try await client.refresh(token, clientID: Fixture.nativeClientID, secret: nil)
            #expect(foreign.pdsError?.message == "The refresh token was issued to another app")
            let wrongSecret = try await client.refresh(token, secret: "wrong")
            #expect(wrongSecret.status == .unauthorized)
            #expect(try await client.refresh(token).status == .ok)
        }
    }

    @Test func unknownOrMissingTokenIsRefused() async throws {
        try await Fixture().test { client in
            #expect(try await client.refresh("0123456789abcdef0123456789abcdef").pdsError?.message == "The refresh token is unknown")
            let missing = try await client.token([
                ("grant_type", "refresh_token"), ("client_id", Fixture.webClientID),
                ("client_secret", Fixture.webSecret),
            ])
            #expect(missing.pdsError?.code == "InvalidParameterMissing")
        }
    }
}
