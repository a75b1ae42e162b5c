import ArgumentParser
import FoundationEssentials
import Logging
import PDSAuth
import PDSDevServer

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in through the browser (authorization code + PKCE) and save the token.")

    @OptionGroup var provider: ProviderOptions

    @OptionGroup var secretStore: SecretStoreOption

    @Option(name: .customLong("client-secret-file"), help: "Read the client secret from this file (else env PDS_CLIENT_SECRET, else a hidden prompt on a terminal).")
    var clientSecretFile: String?

    @Option(name: .customLong("redirect-uri"), help: ArgumentHelp(
        "Loopback redirect URI registered on the app (default \(RedirectTarget.defaultURI)); the listener binds its host and port.",
        discussion: "Repeat it to list several registered URIs: the first whose port is free is used."))
    var redirectURIs: [String] = []

    @Option(help: "Scope to request (PDS today accepts only all; omit for the app's default).")
    var scope: String?

    @Option(name: .customLong("login-type"), help: "PDS login_type: default, ding, ding_sns, ram, wechat, wechat_app (PDS default: default; generic providers get none unless given).")
    var loginType: String?

    @Option(help: "Profile name to save under (env PDS_AUTH_PROFILE; default \"default\", \"dev\" with --dev). It becomes the current profile.")
    var profile: String?

    @Option(help: "Seconds to wait for the browser (1–86400).")
    var timeout: Int = 600

    @Flag(name: .customLong("no-browser"), help: "Do not open a browser; print the URL only.")
    var noBrowser = false

    @Flag(help: "Accept the address the browser ends on (or the code) on stdin even when it is not a terminal (on a terminal it is always offered).")
    var paste = false

    @Flag(name: .customLong("no-pkce"), help: "Do not send a PKCE challenge (for servers that reject unknown parameters).")
    var noPKCE = false

    @Flag(name: .customLong("show-token"), help: "Print the full access token (otherwise masked).")
    var showToken = false

    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(help: "Only errors on stderr, and what must be acted on (the address to open, the paste prompt).")
    var quiet = false

    @Flag(help: "Run the built-in PDS-compatible dev server in-process and sign in against its demo app.")
    var dev = false

    @Flag(help: "Log the listener's and dev server's activity (never secrets) to stderr.")
    var verbose = false

    func validate() throws {
        guard (1...86400).contains(timeout) else { throw ValidationError("--timeout must be 1–86400 seconds") }
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
        if let scope, scope.utf8.count > 1024 || !TokenResponse.isTokenText(scope) {
            throw ValidationError("--scope must be printable ASCII of at most 1024 characters")
        }
        if let loginType, !(1...32).contains(loginType.utf8.count) || !loginType.utf8.allSatisfy({ FormEncoding.isUnreserved($0) }) {
            throw ValidationError("--login-type must be a short name such as default, ding or ram")
        }
        for uri in redirectURIs {
            do { _ = try RedirectTarget(parsing: uri) } catch { throw ValidationError(error.message) }
        }
    }

    var logger: Logger {
        var logger = Logger(label: "pds-auth")
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment, quiet: quiet)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let result = try await CommandRunner.cancellable { () async throws(PDSAuthError) -> LoginResult in
                try await dev ? runAgainstDevServer(environment, terminal) : runLogin(environment, terminal, devApp: nil)
            }
            LoginReport(terminal: terminal, showToken: showToken, json: json).printSuccess(result)
        }
    }

    /// The demo app of an in-process dev server, standing in for PDS.
    struct DevApp {
        var baseURL: String
        var domainID: String
        var clientID: String
        var clientSecret: String?
    }

    func runLogin(_ environment: [String: String], _ terminal: Terminal, devApp: DevApp?) async throws(PDSAuthError) -> LoginResult {
        let configuration = try makeConfiguration(environment, terminal, devApp: devApp)
        let waiting = LoginWaiting(terminal: terminal, environment: environment, timeout: timeout,
                                   paste: paste || terminal.stdinIsTTY, openBrowser: !noBrowser,
                                   providerName: configuration.endpoints.providerName)
        return try await waiting.run(BrowserSignIn(configuration: configuration, logger: logger))
    }

    func makeConfiguration(_ environment: [String: String], _ terminal: Terminal, devApp: DevApp?) throws(PDSAuthError) -> LoginConfiguration {
        let endpoints: ProviderEndpoints
        let clientID: String
        let secret: String?
        let domainID: String?
        if let devApp {
            endpoints = try ProviderEndpoints.resolve(endpoint: devApp.baseURL, domainID: nil)
            (clientID, secret, domainID) = (devApp.clientID, devApp.clientSecret, devApp.domainID)
        } else {
            endpoints = try provider.endpoints(environment: environment)
            domainID = try provider.domainID(for: endpoints, environment)
            clientID = try provider.resolvedClientID(environment)
            secret = try ClientSecretSource.resolve(file: clientSecretFile, environment: environment, terminal: terminal, prompt: true)
        }
        let profileName = try ProfileSelection.named(profile, environment) ?? (devApp == nil ? "default" : "dev")
        let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
        var redirects: [RedirectTarget] = []
        for uri in redirectURIs.isEmpty ? [RedirectTarget.defaultURI] : redirectURIs { redirects.append(try RedirectTarget(parsing: uri)) }
        return LoginConfiguration(
            endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: secret, redirects: redirects, scope: scope,
            loginType: loginType ?? (endpoints.flavor == .pds ? "default" : nil), usePKCE: !noPKCE, profileName: profileName,
            store: store, transport: try provider.transport(environment: environment), timeout: .seconds(timeout),
            rememberedCABundle: provider.cacert, secretStore: try secretStore.prepare(environment, store: store, profile: profileName))
    }

    func runAgainstDevServer(_ environment: [String: String], _ terminal: Terminal) async throws(PDSAuthError) -> LoginResult {
        var redirects: [String] = []
        for uri in redirectURIs.isEmpty ? [RedirectTarget.defaultURI] : redirectURIs { redirects.append(try RedirectTarget(parsing: uri).uri) }
        var configuration = DevServerConfiguration.demo(redirectURIs: redirects, port: 0)
        // RFC 8252 §7.3: loopback redirects may use any port (needed with --redirect-uri …:0/…).
        configuration.allowsAnyLoopbackPort = true
        do {
            return try await DevServer.withRunning(configuration, logger: logger) { server, baseURL in
                terminal.say(terminal.dim(server.summary(baseURL: baseURL)))
                let app = server.configuration.apps[0]
                return try await runLogin(environment, terminal, devApp: DevApp(baseURL: baseURL, domainID: server.configuration.domainID,
                                                                                clientID: app.clientID, clientSecret: app.clientSecret))
            }
        } catch let error as PDSAuthError {
            throw error
        } catch {
            throw PDSAuthError(.listenFailed, "The dev server could not start: \(error)")
        }
    }
}
