extension DevServer {
    /// The start-up summary: where the endpoints are, the `domain_id` rule, each app's
    /// credentials and redirect URIs, and the users. Client secrets are printed on purpose:
    /// they are throw-away development secrets the developer needs to configure `pds-auth`.
    public func summary(baseURL: String) -> String {
        var lines = [
            "PDS dev server (development and tests only) at \(baseURL)",
            "  domain id:  \(configuration.domainID)",
            "  domain_id:  \(domainIDRule)",
            "  authorize:  \(baseURL)\(Endpoint.authorize.rawValue)",
            "  token:      \(baseURL)\(Endpoint.token.rawValue)",
            "  revoke:     \(baseURL)\(Endpoint.revoke.rawValue)",
            "  RFC 7009:   \(baseURL)\(Endpoint.tokenRevocation.rawValue)  (generic OAuth revocation, not a PDS API)",
            "  JWKS:       \(baseURL)\(Endpoint.jwks.rawValue)",
            "  state:      " + (configuration.stateDirectory.map { "kept in \($0) (keys, client secrets, issued tokens)" } ?? "in memory only: nothing is kept when it stops"),
            "Resource APIs (POST, JSON body, Authorization: Bearer <access token>):",
        ]
        for endpoint in [Endpoint.userGet, .driveList, .fileList] {
            lines.append("  \(baseURL)\(endpoint.rawValue)")
        }
        lines.append("Apps:")
        for app in configuration.apps {
            lines.append("  \(app.name) [\(app.kindDescription)]")
            lines.append("    client id:     \(app.clientID)")
            lines.append("    client secret: \(app.clientSecret ?? "(none: public client, PKCE required)")")
            for uri in app.redirectURIs {
                lines.append("    redirect URI:  \(uri)")
            }
            if app.usesJWTBearer {
                let source = app.jwtPublicKeyPEM == nil ? "generated at start" : "as configured"
                lines.append("    JWT key:       RS256, public key \(source)")
            }
        }
        lines.append("Users:")
        for (index, user) in configuration.users.enumerated() {
            let mark = index == 0 ? "  (default)" : ""
            lines.append("  \(user.userName)  id \(user.userID), role \(user.role), drive \(user.defaultDriveID)\(mark)")
        }
        return lines.joined(separator: "\n")
    }

    /// How the server treats `domain_id` (PDS Authorize and Token APIs, 2026 revision).
    private var domainIDRule: String {
        configuration.requiresDomainID
            ? "required on authorize and token requests, must be \(configuration.domainID)"
            : "optional on authorize and token requests (older PDS API); if sent, must be \(configuration.domainID)"
    }
}
