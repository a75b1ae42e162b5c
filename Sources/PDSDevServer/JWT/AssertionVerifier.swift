import JWTKit
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks a JWT-bearer assertion (RFC 7523 §3, PDS JWT apps) and says exactly which rule
/// it breaks. Every rejection is `InvalidParameter.Assertion` whose message starts with a
/// stable phrase: `malformed`, `unsupported alg`, `bad signature`, `wrong iss`, `wrong aud`,
/// `bad sub_type`, `bad sub`, `missing exp`, `expired`, `exp too far ahead`,
/// `not yet valid`, `bad jti`, `replayed jti`, `unknown user`.
struct AssertionVerifier: Sendable {
    let state: DevServerState
    /// Clock skew tolerated on `exp`, `nbf` and `iat` (RFC 7519 §4.1.4: "some small leeway").
    static let leeway: TimeInterval = 30

    /// Whom a verified assertion lets the app act as (PDS JWT apps).
    enum Subject: Sendable, Equatable {
        case user(DevUser)
        /// The domain's service account, with super-admin rights.
        case service
    }

    func verify(_ assertion: String, app: DevApp) async throws(PDSError) -> Subject {
        guard let header = AssertionHeader(assertion: assertion) else {
            throw reject("malformed: the assertion is not a JWS in compact serialization (RFC 7515 §7.1)")
        }
        guard header.alg == "RS256" else {
            throw reject("unsupported alg \(header.alg ?? "(none)"): only RS256 is accepted")
        }
        guard header.crit == nil else { throw reject("malformed: crit header parameters are not supported (RFC 7515 §4.1.11)") }
        let claims = try await verifiedClaims(assertion, app: app)
        let now = state.clock.now()
        try checkParties(claims, app: app)
        let expiry = try checkTimes(claims, now: now)
        guard let jti = claims.jti?.value, (16...128).contains(jti.count) else {
            throw reject("bad jti: jti is required and must be 16-128 characters")
        }
        guard await state.seenAssertions.insert(jti, clientID: app.clientID, validUntil: expiry.addingTimeInterval(Self.leeway), now: now) else {
            throw reject("replayed jti: an assertion with this jti was already used")
        }
        return try await subject(claims)
    }

    /// The signature under the app's registered key, and only that key.
    private func verifiedClaims(_ assertion: String, app: DevApp) async throws(PDSError) -> AssertionClaims {
        guard let keys = try await state.keys.verifying(clientID: app.clientID) else {
            throw PDSError(.forbidden, "The app \(app.clientID) has no JWT public key")
        }
        do {
            return try await keys.verify(assertion, as: AssertionClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw reject("bad signature: the assertion is not signed by the app's registered key")
        } catch {
            throw reject("malformed: \(error)")
        }
    }

    /// RFC 7523 §3 rules 1-3: `iss` is the app, `aud` the domain; PDS's `sub_type` rules.
    private func checkParties(_ claims: AssertionClaims, app: DevApp) throws(PDSError) {
        guard claims.iss?.value == app.clientID else {
            throw reject("wrong iss: expected the app id \(app.clientID)")
        }
        let domain = state.configuration.domainID
        guard let audience = claims.aud?.value, audience.contains(domain) else {
            throw reject("wrong aud: expected the domain id \(domain)")
        }
        guard claims.subType == "user" || claims.subType == "service" else {
            throw reject("bad sub_type: must be user or service")
        }
        guard let sub = claims.sub?.value, !sub.isEmpty else { throw reject("bad sub: sub is required") }
        if claims.subType == "service", sub != domain {
            throw reject("bad sub: for sub_type service, sub must be the domain id \(domain)")
        }
    }

    /// RFC 7523 §3 rules 4-6: `exp` required and not past; `nbf` and `iat` not in the future;
    /// and `exp` no further ahead than the configured maximum. Returns `exp`.
    private func checkTimes(_ claims: AssertionClaims, now: Date) throws(PDSError) -> Date {
        guard let expiry = claims.exp?.value else { throw reject("missing exp: exp is required") }
        guard expiry.addingTimeInterval(Self.leeway) > now else { throw reject("expired: exp is in the past") }
        let maximum = state.configuration.maxAssertionLifetime
        guard expiry <= now.addingTimeInterval(Double(maximum) + Self.leeway) else {
            throw reject("exp too far ahead: at most \(maximum) seconds from now is accepted")
        }
        if let notBefore = claims.nbf?.value, notBefore > now.addingTimeInterval(Self.leeway) {
            throw reject("not yet valid: nbf is in the future")
        }
        if let issuedAt = claims.iat?.value, issuedAt > now.addingTimeInterval(Self.leeway) {
            throw reject("not yet valid: iat is in the future")
        }
        return expiry
    }

    /// PDS: a `user` subject must exist unless `auto_create` asks for it to be created.
    private func subject(_ claims: AssertionClaims) async throws(PDSError) -> Subject {
        let sub = claims.sub?.value ?? ""
        if claims.subType == "service" { return .service }
        if let user = await state.users.user(sub) { return .user(user) }
        guard claims.autoCreate == true else {
            throw reject("unknown user \(sub): set auto_create to create it")
        }
        return .user(await state.users.findOrCreate(sub))
    }

    private func reject(_ message: String) -> PDSError {
        PDSError(.assertion, message)
    }
}

/// The JOSE header of an assertion, read before any key is touched so the algorithm can
/// be checked first (RFC 8725 §3.1: never let the token choose how it is verified).
struct AssertionHeader: Decodable {
    var alg: String?
    var crit: [String]?

    /// Nil when `assertion` is not three base64url parts with a JSON object first.
    init?(assertion: String) {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(AssertionHeader.self, from: data)
        else { return nil }
        self = header
    }
}

/// The claims of a JWT-bearer assertion (RFC 7523 §3, PDS JWT apps). All optional so that
/// a missing claim is reported by name rather than as a decoding failure.
struct AssertionClaims: JWTPayload {
    var iss: IssuerClaim?
    var sub: SubjectClaim?
    /// PDS: `user` (act as the user `sub`) or `service` (the domain's service account).
    var subType: String?
    var aud: AudienceClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iat: IssuedAtClaim?
    var jti: IDClaim?
    /// PDS: create the user `sub` when it does not exist.
    var autoCreate: Bool?

    enum CodingKeys: String, CodingKey {
        case iss, sub
        case subType = "sub_type"
        case aud, exp, nbf, iat, jti
        case autoCreate = "auto_create"
    }

    /// Nothing here: ``AssertionVerifier`` checks the claims against the server's clock and
    /// says which one failed; jwt-kit only checks the signature.
    func verify(using _: some JWTAlgorithm) async throws {}
}

/// The `jti` of every accepted JWT-bearer assertion, per issuing app, until the assertion
/// would have expired anyway (RFC 7523 §3: the server "MAY ensure that JWTs are not
/// replayed by maintaining the set of used jti values for the length of time for which
/// the JWT would be considered valid").
actor SeenAssertionIDs {
    private var seen: [String: Date] = [:]

    /// False when `jti` from `clientID` was seen before: the assertion is a replay.
    func insert(_ jti: String, clientID: String, validUntil: Date, now: Date) -> Bool {
        seen = seen.filter { $0.value > now }
        let key = clientID + "\u{0}" + jti
        guard seen[key] == nil else { return false }
        seen[key] = validUntil
        return true
    }
}
