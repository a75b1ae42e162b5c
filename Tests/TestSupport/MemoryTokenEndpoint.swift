import Foundation
import PDSAuth

/// A token endpoint in memory, handed to `LoginFlow` and `StandardRenewer` as their
/// `TokenExchange`, so the sign-in's and renewal's decisions (what is saved, when, under
/// which lock) are unit-tested without sockets. It records every request and issues tokens
/// as PDS does: a refresh token works once, and using it retires it; a retired or unknown
/// one is refused with `invalid_grant` (PDS Token API; RFC 6749 §5.2). `refusal` can fail any
/// request instead, and `before` runs ahead of every answer (a test holds the exchange there).
package final class MemoryTokenEndpoint: Sendable {
    private struct State {
        var requests: [TokenExchange.Request] = []
        var liveRefreshTokens: Set<String>
        var issued = 0
    }

    private let state: LockedValue<State>
    private let refusal: @Sendable (TokenExchange.Request) -> PDSAuthError?
    private let before: @Sendable () async -> Void

    package init(
        liveRefreshTokens: Set<String> = [], refusal: @escaping @Sendable (TokenExchange.Request) -> PDSAuthError? = { _ in nil },
        before: @escaping @Sendable () async -> Void = {}
    ) {
        state = LockedValue(State(liveRefreshTokens: liveRefreshTokens))
        self.refusal = refusal
        self.before = before
    }

    /// Every request, in the order they arrived.
    package var requests: [TokenExchange.Request] { state.value.requests }

    package var exchange: TokenExchange {
        TokenExchange { [self] (request: TokenExchange.Request) async throws(PDSAuthError) -> TokenResponse in
            await before()
            return try answer(request).get()
        }
    }

    private func answer(_ request: TokenExchange.Request) -> Result<TokenResponse, PDSAuthError> {
        state.update { state in
            state.requests.append(request)
            if let refused = refusal(request) { return .failure(refused) }
            if case .refreshToken(let presented) = request.grant, state.liveRefreshTokens.remove(presented) == nil {
                return .failure(PDSAuthError(.grantRejected, "invalid_grant: the refresh token is not valid (used already, or never issued)"))
            }
            state.issued += 1
            let refreshToken = "rt-\(state.issued)"
            state.liveRefreshTokens.insert(refreshToken)
            return .success(
                TokenResponse(
                    accessToken: "at-\(state.issued)-0123456789abcdef", refreshToken: refreshToken, tokenType: "Bearer",
                    expiresAt: Date(timeIntervalSinceNow: 3600), userID: "u1", userName: "alice", domainID: "dev"))
        }
    }
}
