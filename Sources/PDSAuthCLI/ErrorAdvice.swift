import PDSAuth

/// What to do about an error, in this command line's words (its flags and commands). The
/// library says what went wrong; this says what the user can do about it.
enum ErrorAdvice {
    static func hint(for error: PDSAuthError, profile: String? = nil) -> String? {
        let login = "pds-auth login" + (profile.map { " --profile \(Redaction.terminalSafe($0, limit: 64))" } ?? "")
        switch error.code {
        case .missingEndpoint: return "Pass --domain-id ID (or set PDS_DOMAIN_ID), or --endpoint URL (PDS_ENDPOINT)."
        case .invalidDomainID: return "Use the domain id shown in the PDS console, e.g. bj1."
        case .invalidURL: return "Give a full https URL such as https://bj1.api.aliyunpds.com; client credentials go in the request, never in the URL."
        case .insecureURL: return "Use https; plain http is allowed only for loopback addresses such as the dev server."
        case .invalidRedirectURI: return "Use a loopback callback URL registered on the app, e.g. \(RedirectTarget.defaultURI) (RFC 8252 §7.3)."
        case .missingClientID: return "Pass --client-id (or set PDS_CLIENT_ID) with the app's client id."
        case .missingDomainID: return "Pass --domain-id (or set PDS_DOMAIN_ID)."
        case .missingSubject: return "Pass --subject USER_ID, or --subject-type service."
        case .invalidSetting: return "Fix or unset the variable named above."
        case .secretFileUnreadable, .secretFileEmpty: return "Check the file given to --client-secret-file."
        case .keyMissing: return "Pass --private-key with the PEM file of the app's RSA private key."
        case .keyUnreadable: return "Check the file's owner and permissions."
        case .keyIsPublic: return "Give the private key here; the public key is what you upload to the PDS console."
        case .keyEncrypted: return "Decrypt a copy for pds-auth: openssl pkey -in key.pem -out key-plain.pem (and keep it 0600)."
        case .keyNotRSA, .keyUnusable, .keyTooSmall:
            return "Generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem, and upload its public key."
        case .keyUnparsable: return "The file should begin with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----."
        case .keyWriteFailed: return "Choose a path in a directory you can write to."
        case .noHome: return "Set PDS_AUTH_HOME to a directory."
        case .endpointMisconfigured: return "Check --endpoint, --token-url and --domain-id: this URL does not answer like a token endpoint."
        case .noRevocationEndpoint: return "Log out without --revoke, or sign in again with --revoke-url naming the provider's RFC 7009 endpoint."
        case .networkLibraryMissing: return "Install libcurl (Debian: apt-get install libcurl4)."
        case .portInUse, .listenFailed:
            return "Free the port, or pass another --redirect-uri; it must match a redirect URI registered on the app, port included."
        case .authorizationDenied: return "Run \(login) again and approve the request; if the provider names a setting, check the app in its console."
        case .redirectUnusable: return "Run \(login) again; if it repeats, the provider's redirect is broken."
        case .signInTimedOut: return "Run \(login) again (--timeout SECONDS waits longer)."
        case .sessionExpired: return "The saved session is no longer valid: sign in again with `\(login)`."
        case .grantRejected: return "Sign in again with `\(login)`; check the app's redirect URI and settings if it repeats."
        case .clientRejected: return "Check the client id and client secret of the app (PDS_CLIENT_SECRET or --client-secret-file)."
        case .serverUnavailable:
            let wait = error.context["retry after"].map { " It asked to wait \($0) s." } ?? ""
            return "The server is failing or throttling; retry later. Saved credentials were not changed.\(wait)"
        case .invalidResponse, .responseTooLarge: return "Check that --endpoint / --token-url point at the provider. Saved credentials were not changed."
        case .httpTimeout: return "Retry; if it persists, check the endpoint, your network or proxy (PDS_AUTH_HTTP_TIMEOUT sets the limit)."
        case .unreachable: return "Check --endpoint (or PDS_ENDPOINT), DNS and proxy settings, then retry."
        case .tlsFailure: return "If the server uses a private CA, pass --cacert FILE or set SSL_CERT_FILE. Verification cannot be turned off."
        case .connectionLost, .transferFailed: return "Retry; the server or a proxy closed the connection."
        case .credentialsCorrupt:
            return error.message.hasPrefix("Profile") ? "Remove that profile with `pds-auth logout --profile NAME`, or sign in again under its name."
                : "Move the file aside and sign in again; pds-auth will not overwrite it."
        case .credentialsNewer: return "Upgrade pds-auth; this version will not overwrite the file."
        case .credentialsNotOwned, .credentialsNotRegular: return "Move it aside (or point PDS_AUTH_HOME elsewhere) and sign in again."
        case .credentialsUnreadable, .directoryUnusable: return "Check the owner and permissions, or set PDS_AUTH_HOME to a directory of your own."
        case .lockUnavailable: return "Check the permissions of the credentials directory."
        case .lockTimeout: return "Another pds-auth (login, refresh or token) holds the lock; retry when it is done."
        case .writeFailed: return "Check free space and permissions; the previous credentials are unchanged."
        case .secretStoreUnavailable:
            return "This profile keeps its secrets in the Secret Service (secret-service); run pds-auth in your desktop session, or where a Secret Service "
                + "(GNOME Keyring, KeePassXC) runs on the D-Bus session bus, with libsecret installed (Debian: apt-get install libsecret-1-0). "
                + "Nothing was changed, and nothing falls back to the file."
        case .secretStoreLocked:
            return "Unlock the keyring (your desktop's keyring prompt, Seahorse, or logging in again) and retry; pds-auth never asks for the keyring's password. Nothing was changed."
        case .secretMissing:
            return "Sign in again with `\(login) --store secret-service`, or remove the profile with `pds-auth logout\(profile.map { " --profile \(Redaction.terminalSafe($0, limit: 64))" } ?? "")`."
        case .sealedSessionInvalid:
            return "Export again on the other machine with `pds-auth export --to` and the key this import printed, and paste its whole line; nothing was saved."
        case .sealedSessionExpired:
            return "A sealed session is good for 10 minutes: run `pds-auth import` again and export to its new key; nothing was saved."
        case .importTimedOut: return "Run `pds-auth import` again (it waits at most 10 minutes) and paste the exported line; nothing was saved."
        case .sessionNotMovable: return "Nothing was exported or removed."
        case .confirmationRequired: return "Run it on a terminal to be asked, or pass --yes."
        case .profileExists: return "Choose another --profile, or remove that one first with `pds-auth logout --profile NAME`."
        case .apiUnauthorized: return "The server does not accept this session's tokens: sign in again with `\(login)`."
        case .apiRejected: return "Check the API's path and parameters, and the signed-in user's permissions."
        case .invalidRequest: return "Fix the request (see `pds-auth api --help`); nothing was sent."
        case .noProfile: return "Sign in with `\(login)`, or list profiles with `pds-auth status`."
        case .noProfileSelected: return "Name one with --profile (or PDS_AUTH_PROFILE), or make one current with `pds-auth switch NAME`."
        case .notRefreshable: return "Sign in again with `\(login)`."
        default: return nil
        }
    }
}
