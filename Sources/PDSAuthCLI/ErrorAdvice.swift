import PDSAuth

/// What to do about an error, in the words of the command that failed: only its own flags,
/// and other commands named in full (`pds-auth login --profile NAME`). The library says what
/// went wrong; this says what the user can do about it. `ErrorAdviceTests` holds every flag
/// named here to the command that names it.
enum ErrorAdvice {
    /// Who is asking: the command that failed, and the profile the error concerns.
    struct Asker {
        var command: String
        var profile: String?

        /// `login` and `jwt` take the provider's settings as flags; every other command works
        /// on a saved profile and has none of them.
        var signsIn: Bool { command == "login" || command == "jwt" }

        /// The command that signs in again, with this profile's name.
        var signInAgain: String { "pds-auth login" + (profile.map { " --profile \(Redaction.terminalSafe($0, limit: 64))" } ?? "") }

        /// Where this command's own help is.
        var help: String { command == "pds-auth" ? "pds-auth --help" : "pds-auth \(command) --help" }

        /// Whether the command takes `--flag` (read from its own help, on the error path only).
        func has(_ flag: String) -> Bool {
            guard let type = PDSAuthCommand.configuration.subcommands.first(where: { $0.configuration.commandName == command }) else { return false }
            return type.helpMessage(columns: 10_000).contains(flag + " ") || type.helpMessage(columns: 10_000).contains(flag + "\n")
        }
    }

    /// Codes a sign-in raises from its own flags, by the commands that have those flags; any
    /// other command meets them only through settings a profile saved, which signing in
    /// again replaces.
    static let signInSettings: [PDSAuthError.Code: Set<String>] = {
        var owners: [PDSAuthError.Code: Set<String>] = [:]
        for code: PDSAuthError.Code in [.missingEndpoint, .missingClientID, .missingDomainID] { owners[code] = ["login", "jwt"] }
        for code: PDSAuthError.Code in [
            .secretFileUnreadable, .secretFileEmpty, .discoveryFailed, .invalidMetadata, .issuerMismatch,
            .pkceNotSupported, .noDeviceEndpoint, .invalidRedirectURI,
        ] { owners[code] = ["login"] }
        for code: PDSAuthError.Code in [
            .missingSubject, .keyMissing, .keyUnreadable, .keyIsPublic, .keyEncrypted, .keyNotRSA,
            .keyUnusable, .keyTooSmall, .keyUnparsable,
        ] { owners[code] = ["jwt"] }
        return owners
    }()

    static func hint(for error: PDSAuthError, command: String = "pds-auth", profile: String? = nil) -> String? {
        let asker = Asker(command: command, profile: profile)
        if command != "pds-auth", let owners = signInSettings[error.code], !owners.contains(command) {
            return
                "This profile's saved settings do not work (see above): sign in again under its name with `\(asker.signInAgain)` (or `pds-auth jwt` for a JWT app)."
        }
        return configuration(error, asker) ?? signIn(error, asker) ?? transport(error, asker) ?? store(error, asker)
    }

    /// Flags, environment and files.
    private static func configuration(_ error: PDSAuthError, _ asker: Asker) -> String? {
        switch error.code {
        case .missingEndpoint: return "Pass --domain-id ID (or set PDS_DOMAIN_ID), or --endpoint URL (PDS_ENDPOINT)."
        case .invalidDomainID: return "Use the domain id shown in the PDS console, e.g. bj1, and an endpoint of that domain."
        case .invalidURL, .insecureURL:
            guard asker.signsIn else {
                return "This profile's endpoint cannot be used: sign in again with `\(asker.signInAgain) --endpoint https://…`."
            }
            return "Give a full https URL such as https://bj1.api.aliyunpds.com (plain http only for loopback addresses such as the dev server)."
        case .invalidRedirectURI: return "Use a loopback callback URL registered on the app, e.g. \(RedirectTarget.defaultURI) (RFC 8252 §7.3)."
        case .missingClientID: return "Pass --client-id (or set PDS_CLIENT_ID) with the app's client id."
        case .missingDomainID: return "Pass --domain-id (or set PDS_DOMAIN_ID) with the domain id shown in the PDS console."
        case .missingSubject: return "Pass --subject USER_ID, or --subject-type service."
        case .invalidSetting: return "Fix or unset the setting named above."
        case .secretFileUnreadable, .secretFileEmpty: return "Check the file given to --client-secret-file."
        case .keyMissing: return "Pass --private-key with the PEM file of the app's RSA private key."
        case .keyUnreadable: return "Check the key file's owner and permissions."
        case .keyIsPublic: return "Give the private key here; the public key is what you upload to the PDS console."
        case .keyEncrypted: return "Decrypt a copy for pds-auth: openssl pkey -in key.pem -out key-plain.pem (and keep it 0600)."
        case .keyNotRSA, .keyUnusable, .keyTooSmall:
            return "Generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem, and upload its public key."
        case .keyUnparsable: return "The file should begin with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----."
        case .keyWriteFailed: return "Choose a path in a directory you can write to."
        case .noHome: return "Set PDS_AUTH_HOME to an absolute path."
        case .endpointMisconfigured:
            guard asker.signsIn else { return "This profile's token endpoint does not answer like one: sign in again with `\(asker.signInAgain)`." }
            return "Check --endpoint, --token-url and --domain-id: this URL does not answer like a token endpoint."
        case .noRevocationEndpoint:
            return
                "Log out without revoking (`pds-auth logout`), or sign in again with `pds-auth login --revoke-url URL` naming the provider's RFC 7009 endpoint."
        case .discoveryFailed:
            return "Check --issuer: it must be the provider's issuer identifier exactly, or give --authorize-url and --token-url instead."
        case .invalidMetadata:
            return
                "The provider's metadata cannot be used as it is; give the missing or broken endpoint with --authorize-url, --token-url or --device-url."
        case .issuerMismatch: return "Give --issuer exactly as the provider's metadata names it; a document for another issuer is never used."
        case .pkceNotSupported: return "The provider does not offer PKCE with S256; pass --no-pkce only if you trust every app on this machine."
        case .noDeviceEndpoint:
            return "Pass --device-url with the provider's device authorization endpoint, or sign in in a browser without --device."
        case .resourceIssuerMismatch:
            return
                "This resource takes tokens from the authorization server named above: sign in to it with `pds-auth login --issuer URL --profile NAME`."
        case .networkLibraryMissing: return "Install libcurl (Debian: apt-get install libcurl4)."
        case .caBundleUnusable:
            let flag = asker.has("--cacert") ? "--cacert, " : ""
            return "Name a PEM file of CA certificates (\(flag)CURL_CA_BUNDLE or SSL_CERT_FILE), or unset the variable to use the system store."
        case .clockSkew: return "Set this machine's clock (e.g. enable NTP: timedatectl set-ntp true); tokens and JWT assertions are judged by it."
        case .invalidRequest: return "Fix the request (see `\(asker.help)`); nothing was sent."
        case .programNotRunnable: return "Check the program's name, that it is executable, and the PATH it is looked up in."
        default: return nil
        }
    }

    /// The sign-in itself and what the server thinks of the grant and the client.
    private static func signIn(_ error: PDSAuthError, _ asker: Asker) -> String? {
        let again = asker.signInAgain
        switch error.code {
        case .portInUse, .listenFailed:
            if asker.has("--port") { return "Free the port, or pass another --port (0 picks a free one)." }
            let other = asker.has("--redirect-uri") ? "pass another --redirect-uri" : "sign in with `pds-auth login --redirect-uri URI`"
            return "Free the port, or \(other); it must match a redirect URI registered on the app, port included."
        case .authorizationDenied:
            return "Run `\(again)` again and approve the request; if the provider names a setting, check the app in its console."
        case .redirectUnusable: return "Run `\(again)` again; if it repeats, the provider's redirect is broken."
        case .signInTimedOut: return "Run `\(again) --timeout SECONDS` to wait longer."
        case .deviceCodeExpired: return "Run `\(again) --device` again and enter the new code before it expires."
        case .sessionExpired: return "The saved session is no longer valid: sign in again with `\(again)`."
        case .apiUnauthorized: return "The server does not accept this session's tokens: sign in again with `\(again)`."
        case .notRefreshable: return "Nothing can renew it without you: sign in again with `\(again)`."
        case .grantRejected:
            if asker.command == "jwt" {
                return "Check --subject and --subject-type, that the app's public key in the console matches --private-key, and this machine's clock."
            }
            if asker.command == "login" { return "Sign in again; check the app's redirect URI and settings in its console if it repeats." }
            return "Sign in again with `\(again)`."
        case .clientRejected:
            if asker.command == "login" {
                return "Check the client id and client secret of the app (PDS_CLIENT_SECRET, --client-secret-file, or --public-client)."
            }
            if asker.command == "jwt" { return "Check --client-id, and that the app is a JWT app whose public key matches --private-key." }
            return "The server no longer accepts this profile's client id or secret: sign in again with `\(again)`."
        case .apiRejected: return "Check the API's path and parameters, and the signed-in user's permissions."
        case .noProfile: return "Sign in with `\(again)`, or list profiles with `pds-auth status`."
        case .noProfileSelected:
            let name = asker.has("--profile") ? "Name one with --profile (or PDS_AUTH_PROFILE), or make" : "Make"
            return "\(name) one current with `pds-auth switch NAME`."
        default: return nil
        }
    }

    /// Reaching the server, and what it answered.
    private static func transport(_ error: PDSAuthError, _ asker: Asker) -> String? {
        let unchanged = "Saved credentials were not changed."
        switch error.code {
        case .serverUnavailable:
            let wait = error.retryAfter.map { " It asked to wait \($0.components.seconds) s." } ?? ""
            return "The server is failing or throttling; retry later. \(unchanged)\(wait)"
        case .invalidResponse, .responseTooLarge:
            if asker.signsIn { return "Check that --endpoint / --token-url point at the provider. \(unchanged)" }
            return "The server's answer cannot be used (see above). \(unchanged)"
        case .httpTimeout: return "Retry; if it persists, check the endpoint, your network or proxy (PDS_AUTH_HTTP_TIMEOUT sets the limit)."
        case .unreachable:
            if asker.signsIn { return "Check --endpoint (or PDS_ENDPOINT), DNS and proxy settings, then retry." }
            let proxy = asker.has("--verbose") ? " (--verbose shows the proxy)" : ""
            return "Check that the profile's endpoint (see `pds-auth status`) is up, and DNS and proxy settings\(proxy), then retry."
        case .tlsFailure:
            if asker.signsIn { return "If the server uses a private CA, pass --cacert FILE or set SSL_CERT_FILE. Verification cannot be turned off." }
            return
                "If the server uses a private CA, set SSL_CERT_FILE (or sign in again with `pds-auth login --cacert FILE`). Verification cannot be turned off."
        case .connectionLost, .transferFailed: return "Retry; the server or a proxy closed the connection."
        default: return nil
        }
    }

    /// The credentials file and its directory.
    private static func store(_ error: PDSAuthError, _ asker: Asker) -> String? {
        switch error.code {
        case .profileUnusable: return "Remove that profile with `pds-auth logout --profile NAME`, or sign in again under its name."
        case .credentialsCorrupt: return "Move the file aside and sign in again; pds-auth will not overwrite it."
        case .credentialsNewer: return "Upgrade pds-auth; this version will not overwrite the file."
        case .credentialsNotOwned, .credentialsNotRegular: return "Move it aside (or point PDS_AUTH_HOME elsewhere) and sign in again."
        case .credentialsUnreadable, .directoryUnusable: return "Check the owner and permissions, or set PDS_AUTH_HOME to a directory of your own."
        case .lockUnavailable: return "Check the permissions of the credentials directory."
        case .lockTimeout: return "Another pds-auth (login, refresh or token) holds the lock; retry when it is done."
        case .writeFailed: return "Check free space and permissions; the previous credentials are unchanged."
        case .credentialsExposed:
            return "Run `pds-auth status` (which narrows it) or chmod it; whoever read the file holds its tokens: sign in again to replace them."
        case .renewalNotSaved: return "Free some space (or fix the directory's permissions), then sign in again with `\(asker.signInAgain)`."
        case .secretStoreUnavailable:
            return
                "This profile keeps its secrets in the Secret Service (secret-service); run pds-auth in your desktop session, or where a Secret Service "
                + "(GNOME Keyring, KeePassXC) runs on the D-Bus session bus, with libsecret installed (Debian: apt-get install libsecret-1-0). "
                + "Nothing was changed, and nothing falls back to the file."
        case .secretStoreLocked:
            return
                "Unlock the keyring (your desktop's keyring prompt, Seahorse, or logging in again) and retry; pds-auth never asks for the keyring's password. Nothing was changed."
        case .secretMissing:
            return
                "Sign in again with `\(asker.signInAgain) --store secret-service`, or remove the profile with `pds-auth logout\(asker.profile.map { " --profile \(Redaction.terminalSafe($0, limit: 64))" } ?? "")`."
        case .sealedSessionInvalid:
            return
                "Export again on the other machine with `pds-auth export --to KEY` and the key this import printed, and paste its whole line; nothing was saved."
        case .sealedSessionExpired:
            return "A sealed session is good for 10 minutes: run `pds-auth import` again and export to its new key; nothing was saved."
        case .importTimedOut: return "Run `pds-auth import` again (it waits at most 10 minutes) and paste the exported line; nothing was saved."
        case .sessionNotMovable: return "Nothing was exported or removed."
        case .confirmationRequired: return "Run it on a terminal to be asked, or confirm in advance: `pds-auth store migrate --to file --yes`."
        case .profileExists:
            let choose = asker.has("--profile") ? "Choose another --profile" : "Choose another profile name"
            return "\(choose), or remove that one first with `pds-auth logout --profile NAME`."
        default: return nil
        }
    }
}
