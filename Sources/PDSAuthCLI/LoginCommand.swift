import ArgumentParser
import Logging
import PDSAuth
import PDSDevServer

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in through the browser (authorization code + PKCE) and save the token.")

    @OptionGroup var provider: ProviderOptions

    @Option(name: .customLong("client-secret-file"), help: "Read the client secret from this file (else env PDS_CLIENT_SECRET, else a hidden prompt on a terminal).")
    var clientSecretFile: String?

    @Option(name: .customLong("redirect-uri"), help: ArgumentHelp(
        "Loopback redirect URI registered on the app (default \(RedirectTarget.defaultURI)); the listener binds its host and port.",
        discussion: "Repeat it to list several registered URIs: the first whose port is free is used."))
    var redirectURIs: [String] = []

    @Option(help: "Scope to request (PDS today accepts only all; omit for the app's default).")
    var scope: String?

    @Option(name: .customLong("login-type"), help: "PDS login_type: default, ding, ding_sns, ram, wechat, wechat_app.")
    var loginType: String = "default"

    @Option(help: "Profile name to save under (env PDS_AUTH_PROFILE; default \"default\", \"dev\" with --dev).")
    var profile: String?

    @Option(help: "Seconds to wait for the browser.")
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

    var logger: Logger {
        var logger = Logger(label: "pds-auth")
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment, quiet: quiet)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            let result = try await CancellableRun.run(terminal: terminal) { () async throws(PDSAuthError) -> LoginResult in
                try await dev ? runAgainstDevServer(environment, terminal) : runLogin(environment, terminal, devApp: nil)
            }
            LoginReport(terminal: terminal, showToken: showToken, json: json).printSuccess(result)
        }
    }

    /// The demo app of an in-process dev server, standing in for PDS.
    struct DevApp {
        var baseURL: String
        var clientID: String
        var clientSecret: String?
    }

    func runLogin(_ environment: [String: String], _ terminal: Terminal, devApp: DevApp?) async throws(PDSAuthError) -> LoginResult {
        guard timeout > 0 else {
            throw PDSAuthError(.configuration, code: "invalid_timeout", "--timeout must be a positive number of seconds")
        }
        let redirects = try redirectTargets()
        let endpoints: ProviderEndpoints
        let clientID: String
        let secret: String?
        if let devApp {
            endpoints = try ProviderEndpoints.resolve(endpoint: devApp.baseURL, domainID: nil)
            clientID = devApp.clientID
            secret = devApp.clientSecret
        } else {
            endpoints = try provider.endpoints(environment: environment)
            clientID = try provider.resolvedClientID(environment)
            secret = try ClientSecretSource.resolve(file: clientSecretFile, environment: environment, terminal: terminal, prompt: true)
        }
        let profileName = profile ?? environment["PDS_AUTH_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? (devApp == nil ? "default" : "dev")
        let store = CredentialStore(directory: try StoreLocation.directory(environment: environment))
        var configuration = LoginConfiguration(
            endpoints: endpoints, domainID: provider.resolvedDomainID(environment), clientID: clientID, clientSecret: secret,
            redirect: redirects[0], scope: scope, loginType: loginType, usePKCE: !noPKCE, profileName: profileName,
            store: store, transport: provider.transport(environment: environment), timeout: .seconds(timeout),
            rememberedCABundle: provider.cacert)
        configuration.fallbackRedirects = Array(redirects.dropFirst())
        let waiting = LoginWaiting(terminal: terminal, environment: environment, timeout: timeout,
                                   paste: paste || terminal.stdinIsTTY, openBrowser: !noBrowser)
        return try await waiting.run(LoginFlow(configuration: configuration, logger: logger))
    }

    /// Every `--redirect-uri`, parsed, in the order given (the default when none).
    func redirectTargets() throws(PDSAuthError) -> [RedirectTarget] {
        var targets: [RedirectTarget] = []
        for uri in redirectURIs.isEmpty ? [RedirectTarget.defaultURI] : redirectURIs {
            targets.append(try RedirectTarget(parsing: uri))
        }
        return targets
    }

    func runAgainstDevServer(_ environment: [String: String], _ terminal: Terminal) async throws(PDSAuthError) -> LoginResult {
        let redirects = try redirectTargets()
        let server: DevServer
        do {
            var configuration = DevServerConfiguration.demo(redirectURIs: redirects.map(\.uri), port: 0)
            // RFC 8252 §7.3: loopback redirects may use any port (needed with --redirect-uri …:0/…).
            configuration.allowsAnyLoopbackPort = true
            server = try DevServer(configuration: configuration, logger: logger)
        } catch {
            throw PDSAuthError(.failure, code: "dev_server", "The dev server could not start: \(error)")
        }
        let baseURL = LockedValue<String?>(nil)
        let serverTask = Task {
            try await server.run { url in baseURL.set(url) }
        }
        defer { serverTask.cancel() }
        while baseURL.value == nil {
            if serverTask.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard let url = baseURL.value else { throw PDSAuthError(.interrupted, code: "interrupted", "Interrupted") }
        terminal.say(terminal.dim(server.summary(baseURL: url)))
        let app = server.configuration.apps[0]
        return try await runLogin(environment, terminal, devApp: DevApp(baseURL: url, clientID: app.clientID, clientSecret: app.clientSecret))
    }
}
