import ArgumentParser
import PDSAuth

/// Where the provider is and which app signs in; shared by every command that talks to it.
struct ProviderOptions: ParsableArguments {
    @Option(name: .customLong("domain-id"), help: "PDS domain id (env PDS_DOMAIN_ID).")
    var domainID: String?

    @Option(help: "Base URL of the PDS API; default https://{domain-id}.api.aliyunpds.com (env PDS_ENDPOINT).")
    var endpoint: String?

    @Option(name: .customLong("client-id"), help: "The app's client id / AppId (env PDS_CLIENT_ID).")
    var clientID: String?

    @Option(name: .customLong("authorize-url"), help: "Authorize endpoint: a URL or a path under --endpoint (default /v2/oauth/authorize).")
    var authorizeURL: String?

    @Option(name: .customLong("token-url"), help: "Token endpoint: a URL or a path under --endpoint (default /v2/oauth/token).")
    var tokenURL: String?

    @Option(help: "PEM file of CA certificates to trust (else CURL_CA_BUNDLE, SSL_CERT_FILE, the system store).")
    var cacert: String?

    func endpoints(environment: [String: String]) throws(PDSAuthError) -> ProviderEndpoints {
        try ProviderEndpoints.resolve(endpoint: endpoint ?? environment["PDS_ENDPOINT"], domainID: resolvedDomainID(environment),
                                      authorize: authorizeURL, token: tokenURL)
    }

    func resolvedDomainID(_ environment: [String: String]) -> String? {
        domainID ?? environment["PDS_DOMAIN_ID"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func resolvedClientID(_ environment: [String: String]) throws(PDSAuthError) -> String {
        guard let id = clientID ?? environment["PDS_CLIENT_ID"], !id.isEmpty else {
            throw PDSAuthError(.configuration, code: "missing_client_id", "No client id given",
                               hint: "Pass --client-id (or set PDS_CLIENT_ID) with the AppId from the PDS console.")
        }
        return id
    }

    func transport(environment: [String: String]) -> TransportOptions {
        TransportOptions.fromEnvironment(environment, caBundleFlag: cacert)
    }
}
