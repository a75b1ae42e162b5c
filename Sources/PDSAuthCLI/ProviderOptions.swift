import ArgumentParser
import FoundationEssentials
import PDSAuth

/// Where the provider is and which app signs in; shared by every command that talks to it.
struct ProviderOptions: ParsableArguments {
    @Option(name: .customLong("domain-id"), help: "PDS domain id (env PDS_DOMAIN_ID; else taken from an {domain}.api.aliyunpds.com endpoint).")
    var domainID: String?

    @Option(help: "Base URL of the PDS API; default https://{domain-id}.api.aliyunpds.com (env PDS_ENDPOINT).")
    var endpoint: String?

    @Option(name: .customLong("client-id"), help: "The app's client id / AppId (env PDS_CLIENT_ID).")
    var clientID: String?

    @Option(
        name: .customLong("authorize-url"),
        help: "Another provider's authorize endpoint: a URL or a path under --endpoint (makes the provider generic).")
    var authorizeURL: String?

    @Option(name: .customLong("token-url"), help: "Another provider's token endpoint: a URL or a path under --endpoint (makes the provider generic).")
    var tokenURL: String?

    @Option(name: .customLong("revoke-url"), help: "A generic provider's RFC 7009 revocation endpoint, for `logout --revoke`.")
    var revokeURL: String?

    @Option(help: "PEM file of CA certificates to trust (else CURL_CA_BUNDLE, SSL_CERT_FILE, the system store).")
    var cacert: String?

    func validate() throws {
        if let domainID, !ProviderEndpoints.isDomainLabel(domainID) {
            throw ValidationError("--domain-id must be a host label (letters, digits, '-'), not \"\(Redaction.terminalSafe(domainID, limit: 64))\"")
        }
    }

    /// `--revoke-url` (and `--device-url`) name a generic provider's endpoints; `generic` says
    /// whether the command line makes the provider generic.
    func checkGenericOnly(generic: Bool, deviceURL: String? = nil) throws {
        if revokeURL != nil, !generic {
            throw ValidationError(
                "--revoke-url is for generic providers: give it with --authorize-url / --token-url or --issuer (PDS's own revocation is built in)")
        }
        if deviceURL != nil, !generic {
            throw ValidationError("--device-url is for generic providers: give it with --authorize-url / --token-url or --issuer")
        }
    }

    /// Names an authorize or token endpoint, which makes the provider generic.
    var namesEndpoints: Bool { authorizeURL != nil || tokenURL != nil }

    func endpoints(environment: [String: String], device: String? = nil) throws(PDSAuthError) -> ProviderEndpoints {
        try ProviderEndpoints.resolve(
            endpoint: endpoint ?? environment["PDS_ENDPOINT"], domainID: givenDomainID(environment),
            authorize: authorizeURL, token: tokenURL, revoke: revokeURL, device: device)
    }

    /// The endpoints of `issuer` from its metadata (RFC 8414), those typed here winning.
    /// With `requirePKCE`, an issuer that does not list S256 is refused.
    func discoveredEndpoints(
        issuer text: String, device: String?, requirePKCE: Bool,
        transport: TransportOptions, environment: [String: String]
    ) async throws(PDSAuthError) -> ProviderEndpoints {
        let issuer = try IssuerIdentifier(text)
        let metadata = try await MetadataDiscovery(transport: transport).metadata(for: issuer)
        if requirePKCE, !metadata.supportsS256 {
            throw PDSAuthError(
                .pkceNotSupported, "The metadata of \(issuer.text) does not list S256 among its code_challenge_methods_supported",
                details: ["offered": metadata.codeChallengeMethods.map { Redaction.terminalSafe($0, limit: 20) }.joined(separator: " ")])
        }
        return try ProviderEndpoints.discovered(
            metadata, endpoint: endpoint ?? environment["PDS_ENDPOINT"], authorize: authorizeURL,
            token: tokenURL, revoke: revokeURL, device: device)
    }

    /// The domain named by the user: `--domain-id`, else `PDS_DOMAIN_ID`.
    func givenDomainID(_ environment: [String: String]) -> String? {
        domainID ?? environment["PDS_DOMAIN_ID"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The domain to send as `domain_id`: the one given, else (for PDS) the one the
    /// endpoint's host names. A generic provider gets one only when the user gave it.
    ///
    /// For PDS it is required (the 2026 Authorize and Token references list it first), so a
    /// custom `--endpoint` without `--domain-id`, or a `--domain-id` that contradicts the
    /// domain the endpoint's host names, is a configuration error before anything listens —
    /// not a refusal from the provider after the user has signed in.
    func domainID(for endpoints: ProviderEndpoints, _ environment: [String: String]) throws(PDSAuthError) -> String? {
        let fromHost = endpoints.flavor == .pds ? ProviderEndpoints.domainID(fromHost: endpoints.base.host) : nil
        guard let given = givenDomainID(environment) else {
            if endpoints.flavor == .pds, fromHost == nil {
                throw PDSAuthError(
                    .missingDomainID, "No domain id: \(Redaction.url(endpoints.base)) does not name a PDS domain, and PDS requires domain_id")
            }
            return fromHost
        }
        guard ProviderEndpoints.isDomainLabel(given) else {
            throw PDSAuthError(.invalidDomainID, "PDS_DOMAIN_ID \"\(Redaction.terminalSafe(given, limit: 64))\" is not a valid host label")
        }
        if let fromHost, fromHost != given.lowercased() {
            throw PDSAuthError(
                .invalidDomainID, "The domain id \(given) contradicts the endpoint \(Redaction.url(endpoints.base)), which is domain \(fromHost)")
        }
        return given
    }

    func resolvedClientID(_ environment: [String: String]) throws(PDSAuthError) -> String {
        guard let id = clientID ?? environment["PDS_CLIENT_ID"], !id.isEmpty else {
            throw PDSAuthError(.missingClientID, "No client id given")
        }
        guard id.utf8.count <= 256, TokenResponse.isTokenText(id) else {
            throw PDSAuthError(.invalidSetting, "The client id must be printable ASCII of at most 256 characters")
        }
        return id
    }
}

/// Where the client secret comes from. There is deliberately no `--client-secret VALUE`:
/// process arguments are visible to every local user in `ps`.
enum ClientSecretSource {
    static func resolve(file: String?, environment: [String: String], terminal: Terminal, prompt: Bool) async throws(PDSAuthError) -> String? {
        if let file {
            // A secret is short; a device, FIFO or huge file is a mistake.
            guard let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int, size <= 64 * 1024,
                let data = FileManager.default.contents(atPath: file)
            else {
                throw PDSAuthError(
                    .secretFileUnreadable, "Cannot read the client secret file (a regular file of at most 64 KiB)", details: ["path": file])
            }
            let secret = String(decoding: data, as: UTF8.self).trimmingTrailingNewlines()
            guard !secret.isEmpty else {
                throw PDSAuthError(.secretFileEmpty, "The client secret file is empty", details: ["path": file])
            }
            return secret
        }
        if let secret = environment["PDS_CLIENT_SECRET"], !secret.isEmpty { return secret }
        guard prompt, terminal.stdinIsTTY else { return nil }
        let typed = try await terminal.readHidden(prompt: "Client secret (empty for a Native app without one): ")
        return typed.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

extension SecretStoreKind: ExpressibleByArgument {}

/// `--store file|secret-service` for the commands that save a new session (`login`, `jwt`,
/// `import`); else `PDS_AUTH_STORE`; else where the profile keeps its secrets now.
struct SecretStoreOption: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Where to keep the secrets: file (credentials.json, 0600; the default) or secret-service (the desktop keyring, through libsecret); env PDS_AUTH_STORE.",
            discussion: "The profile remembers it. Only an explicit --store file moves a profile's secrets out of the Secret Service."))
    var store: SecretStoreKind?

    func choice(_ environment: [String: String]) throws(PDSAuthError) -> SecretStoreChoice {
        try SecretStoreChoice.from(flag: store, environment: environment)
    }

    /// Where profile `name` in `credentials` will keep its secrets; when that is the Secret
    /// Service, checks first that it can be written (its unlock prompt, if it is locked), so
    /// a sign-in never ends with tokens that cannot be saved.
    func prepare(_ environment: [String: String], store credentials: CredentialStore, profile name: String) throws(PDSAuthError) -> SecretStoreChoice
    {
        let choice = try choice(environment)
        let kind = choice.resolve(remembered: try credentials.load().secretStore(of: name))
        if kind == .secretService { try credentials.checkSecretStore(for: name) }
        return choice
    }
}
