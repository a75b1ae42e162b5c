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

/// A successful token response with every field of the PDS Token API's sample, so a
/// client's decoder meets the real shape (RFC 6749 §5.1 fields plus PDS's user fields).
struct TokenResponseBody: Codable, Sendable, Equatable {
    var accessToken: String
    /// Absent for the JWT-bearer grant: PDS JWT apps assert again instead of refreshing
    /// (RFC 7523 §2.1 makes refresh tokens optional for it).
    var refreshToken: String?
    var expiresIn: Int
    var tokenType = "Bearer"
    /// ISO 8601 UTC with milliseconds, e.g. `2019-09-01T06:57:48.813Z`.
    var expireTime: String
    var userID: String
    var userName: String
    var nickName: String
    var avatar = ""
    var defaultDriveID: String
    var defaultSboxDriveID = ""
    var role: String
    var status = "enabled"
    var isFirstLogin: Bool
    var deviceID: String
    var deviceName: String
    var domainID: String
    var subdomainID = ""
    var userData: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
        case tokenType = "token_type"
        case expireTime = "expire_time"
        case userID = "user_id"
        case userName = "user_name"
        case nickName = "nick_name"
        case avatar
        case defaultDriveID = "default_drive_id"
        case defaultSboxDriveID = "default_sbox_drive_id"
        case role, status
        case isFirstLogin = "is_first_login"
        case deviceID = "device_id"
        case deviceName = "device_name"
        case domainID = "domain_id"
        case subdomainID = "subdomain_id"
        case userData = "user_data"
    }
}

/// The claims of an access token, modelled on PDS's (PDS Token API sample: `userId`,
/// `customJson`, `exp`, `iat`) plus the registered claims RFC 9068 §2.2 asks of JWT access
/// tokens: `iss`, `sub`, `aud`, `jti`.
struct AccessTokenClaims: JWTPayload, Equatable {
    var userId: String
    /// A JSON string, as in PDS tokens: see ``CustomJSON``.
    var customJson: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var jti: IDClaim

    func verify(using _: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The object PDS puts, serialised, in `customJson`.
    struct CustomJSON: Codable, Sendable, Equatable {
        var clientId: String
        var domainId: String
        var scope: [String]
        var role: String
        var ref: String
        var device_id: String
    }
}

/// The grant behind each access token this server signed, by the token's `jti`, until the
/// token expires.
///
/// A valid signature only proves the token was signed with this server's key, and every
/// server in a test process shares one key (``DevServerKeys``); the record proves this very
/// server issued it, and names the grant whose revocation must kill it (RFC 7009 §2.1,
/// RFC 6749 §4.1.2 on a replayed code). The token itself stays as PDS shapes it.
actor IssuedAccessTokens {
    struct Record: Sendable, Codable, Equatable {
        var grant: Grant
        var expiresAt: Date
    }

    private var issued: [String: Record]
    /// Hears every change, to keep it across restarts (``DevServerStateFile``).
    private let journal: (@Sendable ([String: Record]) -> Void)?

    init(_ issued: [String: Record] = [:], journal: (@Sendable ([String: Record]) -> Void)? = nil) {
        self.issued = issued
        self.journal = journal
    }

    func record(_ jti: String, grant: Grant, expiresAt: Date, now: Date) {
        // An expired token is refused before it is looked up, so its record can go.
        issued = issued.filter { $0.value.expiresAt > now }
        issued[jti] = Record(grant: grant, expiresAt: expiresAt)
        journal?(issued)
    }

    /// The grant of the token `jti`; nil when this server has no record of issuing it.
    func grant(for jti: String) -> Grant? {
        issued[jti]?.grant
    }
}

/// `expire_time` as the PDS Token API prints it: ISO 8601 in UTC with milliseconds,
/// e.g. `2019-09-01T06:57:48.813Z`.
enum ISO8601Milliseconds {
    static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
