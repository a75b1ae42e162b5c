import JWTKit
import PDSShared

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Mints access tokens and assembles the full PDS token response for a grant.
struct TokenIssuer: Sendable {
    let state: DevServerState

    func response(for grant: Grant, refreshToken: String?) async throws(PDSError) -> TokenResponseBody {
        // JWT time claims are whole seconds (RFC 7519 §2 NumericDate; PDS sends integers).
        let now = Date(timeIntervalSince1970: state.clock.now().timeIntervalSince1970.rounded(.down))
        let lifetime = state.configuration.accessTokenLifetime
        let expiry = now.addingTimeInterval(Double(lifetime))
        let jti = SecureRandom.token(bytes: 16)
        let accessToken = try await sign(grant, jti: jti, issuedAt: now, expiry: expiry)
        await state.accessTokens.record(jti, grant: grant, expiresAt: expiry, now: now)
        let firstLogin = await state.users.recordSignIn(grant.user.userID)
        let user = grant.user
        return TokenResponseBody(
            accessToken: accessToken, refreshToken: refreshToken, expiresIn: lifetime,
            expireTime: ISO8601Milliseconds.string(from: expiry), userID: user.userID, userName: user.userName,
            nickName: user.nickName, defaultDriveID: user.defaultDriveID, role: user.role, isFirstLogin: firstLogin,
            deviceID: grant.deviceID, deviceName: "pds-dev-server", domainID: state.configuration.domainID
        )
    }

    private func sign(_ grant: Grant, jti: String, issuedAt: Date, expiry: Date) async throws(PDSError) -> String {
        let issuer = state.issuer.current
        let custom = AccessTokenClaims.CustomJSON(
            clientId: grant.clientID, domainId: state.configuration.domainID, scope: grant.scopes,
            role: grant.user.role, ref: issuer, device_id: grant.deviceID)
        let claims = AccessTokenClaims(
            userId: grant.user.userID, customJson: String(decoding: JSONResponse.encode(custom), as: UTF8.self),
            exp: ExpirationClaim(value: expiry), iat: IssuedAtClaim(value: issuedAt), iss: IssuerClaim(value: issuer),
            sub: SubjectClaim(value: grant.user.userID), aud: AudienceClaim(value: [grant.clientID]),
            jti: IDClaim(value: jti))
        let signer = try await state.keys.signing()
        do {
            return try await signer.keys.sign(claims, kid: JWKIdentifier(string: signer.kid))
        } catch {
            state.logger.error("Signing an access token failed", metadata: ["error": "\(error)"])
            throw PDSError(.internalError, "The access token could not be signed")
        }
    }
}
