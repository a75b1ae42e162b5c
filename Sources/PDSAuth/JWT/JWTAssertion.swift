import JWTKit

import FoundationEssentials

/// Builds and signs the RS256 assertion a JWT app trades at `POST /v2/oauth/token` with
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` (RFC 7523 §2.1, PDS JWT apps).
package enum JWTAssertion {
    /// The claims for `settings` at `now`: `exp` = now + lifetime, `iat`/`nbf` backdated by the
    /// clock-skew allowance so a server whose clock is behind still accepts them.
    package static func claims(settings: JWTSettings, clientID: String, audience: String, now: Date) -> AssertionClaims {
        let seconds = Int(now.timeIntervalSince1970)
        let lifetime = Int(clamping: settings.lifetime.components.seconds)
        let skew = Int(clamping: settings.clockSkew.components.seconds)
        return AssertionClaims(iss: clientID, sub: settings.subject, sub_type: settings.subjectType, aud: audience,
                               jti: UUID().uuidString.lowercased(), exp: seconds + lifetime,
                               iat: seconds - skew, nbf: seconds - skew,
                               auto_create: settings.autoCreate ? true : nil)
    }

    /// Signs with the key file named in `settings` (read afresh each time: the profile stores
    /// only the path).
    package static func sign(settings: JWTSettings, clientID: String, audience: String, now: Date = Date()) async throws(PDSAuthError) -> String {
        let keyFile = try RSAKeyFile(path: settings.privateKeyPath)
        return try await sign(claims(settings: settings, clientID: clientID, audience: audience, now: now), key: keyFile.key)
    }

    package static func sign(_ claims: AssertionClaims, key: JWTKit.Insecure.RSA.PrivateKey) async throws(PDSAuthError) -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256)
        do {
            return try await keys.sign(claims)
        } catch {
            throw PDSAuthError(.jwtSigningFailed, "Signing the JWT assertion failed")
        }
    }
}
