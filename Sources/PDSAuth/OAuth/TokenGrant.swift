/// The token requests pds-auth makes (RFC 6749 §4.1.3, §6; RFC 7523 §2.1; RFC 8628 §3.4; PDS Token API).
package enum TokenGrant: Sendable {
    case authorizationCode(code: String, redirectURI: String, codeVerifier: String?)
    case refreshToken(String)
    case jwtBearer(assertion: String)
    /// A device-code poll (RFC 8628 §3.4).
    case deviceCode(String)

    package var grantType: String {
        switch self {
        case .authorizationCode: "authorization_code"
        case .refreshToken: "refresh_token"
        case .jwtBearer: "urn:ietf:params:oauth:grant-type:jwt-bearer"
        case .deviceCode: "urn:ietf:params:oauth:grant-type:device_code"
        }
    }

    /// The form fields. `domain_id` first when known (PDS Token API, 2026 revision). The
    /// client secret goes in the body, as PDS expects (RFC 6749 §2.3.1 allows it); Native
    /// apps have none and send only `client_id`.
    package func formFields(clientID: String, clientSecret: String?, domainID: String?) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let domainID, !domainID.isEmpty { fields.append(("domain_id", domainID)) }
        fields.append(("grant_type", grantType))
        switch self {
        case let .authorizationCode(code, redirectURI, verifier):
            fields += [("code", code), ("redirect_uri", redirectURI)]
            if let verifier { fields.append(("code_verifier", verifier)) }
        case .refreshToken(let token):
            fields.append(("refresh_token", token))
        case .jwtBearer(let assertion):
            fields.append(("assertion", assertion))
        case .deviceCode(let code):
            fields.append(("device_code", code))
        }
        fields.append(("client_id", clientID))
        if let clientSecret, !clientSecret.isEmpty { fields.append(("client_secret", clientSecret)) }
        return fields
    }
}
