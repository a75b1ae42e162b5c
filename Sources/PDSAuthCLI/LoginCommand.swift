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

    @Option(
        help: ArgumentHelp(
            "A generic provider's issuer (RFC 8414): its endpoints are read from its metadata; --authorize-url, --token-url, --revoke-url and --device-url still win.",
            discussion: "The metadata must name exactly this issuer; the profile is pinned to it, and a redirect's iss must name it (RFC 9207)."))
    var issuer: String?

    @Flag(help: "Sign in on another device with a code (RFC 8628 device grant; generic providers with a device endpoint).")
    var device = false

    @Option(
        name: .customLong("device-url"),
        help:
            "A generic provider's RFC 8628 device authorization endpoint: a URL, or a path under --endpoint (else under --issuer); else from --issuer's metadata."
    )
    var deviceURL: String?

    @OptionGroup var secretStore: SecretStoreOption

    @Option(
        name: .customLong("client-secret-file"),
        help: "Read the client secret from this file (else env PDS_CLIENT_SECRET, else a hidden prompt on a terminal).")
    var clientSecretFile: String?

    @Option(
        name: .customLong("redirect-uri"),
        help: ArgumentHelp(
            "Loopback redirect URI registered on the app (default \(RedirectTarget.defaultURI)); the listener binds its host and port.",
            discussion: "Repeat it to list several registered URIs: the first whose port is free is used."))
    var redirectURIs: [String] = []

    @Option(help: "Scope to request (PDS today accepts only all; omit for the app's default).")
    var scope: String?

    @Option(
        name: .customLong("login-type"),
        help: "PDS login_type: default, ding, ding_sns, ram, wechat, wechat_app (PDS default: default; generic providers get none unless given).")
    var loginType: String?

    @Option(
        help: "Profile name to save under (env PDS_AUTH_PROFILE; default \"default\", \"dev\" with --dev). It becomes the current profile.",
        completion: ProfileCompletion.names)
    var profile: String?

    @Option(help: "Seconds to wait for the browser (1–86400).")
    var timeout: Int = 600

    @Flag(name: .customLong("no-browser"), help: "Do not open a browser; print the URL only.")
    var noBrowser = false

    @Flag(help: "Accept the address the browser ends on (or the code) on stdin even when it is not a terminal (on a terminal it is always offered).")
    var paste = false

    @Flag(name: .customLong("no-preflight"), help: "Do not ask the authorize endpoint about the request before opening the browser.")
    var noPreflight = false

    @Flag(name: .customLong("public-client"), help: "The app has no client secret (a Native app): do not ask for one. The profile remembers it.")
    var publicClient = false

    @Flag(name: .customLong("no-pkce"), help: "Do not send a PKCE challenge (for servers that reject unknown parameters).")
    var noPKCE = false

    @Flag(name: .customLong("show-token"), help: "Print the full access token (otherwise masked).")
    var showToken = false

    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(help: "Only errors on stderr, and what must be acted on (the address to open, the paste prompt).")
    var quiet = false

    @Flag(
        help:
            "Sign in to the built-in PDS-compatible dev server's demo app: the one running with the default state directory, else one run in-process."
    )
    var dev = false

    @Option(
        name: .customLong("dev-port"),
        help: "With --dev: the port of the in-process dev server (default 8780, or any free one if that is taken; 0 = any).")
    var devPort = DevServerHome.standardPort

    @Flag(help: "Log the listener's and dev server's activity, each request and its proxy (never secrets) to stderr.")
    var verbose = false

    func validate() throws {
        guard (1...86400).contains(timeout) else { throw ValidationError("--timeout must be 1–86400 seconds") }
        guard (0...65535).contains(devPort) else { throw ValidationError("--dev-port must be 0–65535") }
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
        let generic = provider.namesEndpoints || issuer != nil
        try provider.checkGenericOnly(generic: generic, deviceURL: deviceURL)
        if dev, issuer != nil || device {
            throw ValidationError("--dev signs in to the built-in PDS dev server: --issuer and --device are for generic providers")
        }
        if device, !generic { throw ValidationError("--device is for generic providers: give --issuer (or --token-url with --device-url)") }
    }

    var logger: Logger {
        var logger = Logger(label: "pds-auth")
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, quiet: quiet, verbose: verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let unwound = device ? "nothing was saved" : "nothing was saved and the listener was closed"
            let result = try await CommandRunner.cancellable(unwound: unwound) { () async throws(PDSAuthError) -> LoginResult in
                if dev { return try await runAgainstDevServer(environment, terminal) }
                return try await device ? runDevice(environment, terminal) : runLogin(environment, terminal, devApp: nil)
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
        /// Where it keeps its state, remembered in the profile; nil when it keeps nothing.
        var stateDirectory: String?
    }

    func runLogin(_ environment: [String: String], _ terminal: Terminal, devApp: DevApp?) async throws(PDSAuthError) -> LoginResult {
        let configuration = try await makeConfiguration(environment, terminal, devApp: devApp)
        // One round trip, so a wrong client id, redirect URI or endpoint is reported now, not
        // after the user has signed in (or pds-auth has waited ten minutes).
        if !noPreflight { try await AuthorizePreflight.check(configuration) }
        let waiting = LoginWaiting(
            terminal: terminal, environment: environment, timeout: timeout,
            paste: paste || terminal.stdinIsTTY, openBrowser: !noBrowser,
            providerName: configuration.endpoints.providerName,
            offersDevice: configuration.endpoints.deviceAuthorizationURL != nil)
        return try await waiting.run(BrowserSignIn(configuration: configuration, limits: .standard, logger: logger))
    }

    /// `login --device`: a code to enter on another device, no listener (RFC 8628).
    func runDevice(_ environment: [String: String], _ terminal: Terminal) async throws(PDSAuthError) -> LoginResult {
        let configuration = try await makeConfiguration(environment, terminal, devApp: nil)
        let display = DeviceCodeDisplay(terminal: terminal, providerName: configuration.endpoints.providerName, timeout: timeout, json: json)
        return try await DeviceSignIn(configuration: configuration).run { event in display.show(event) }
    }

    func makeConfiguration(_ environment: [String: String], _ terminal: Terminal, devApp: DevApp?) async throws(PDSAuthError) -> LoginConfiguration {
        let endpoints: ProviderEndpoints
        let clientID: String
        let secret: String?
        let domainID: String?
        if let devApp {
            endpoints = try ProviderEndpoints.resolve(endpoint: devApp.baseURL, domainID: nil)
            (clientID, domainID) = (devApp.clientID, devApp.domainID)
        } else {
            if let issuer {
                // PKCE belongs to the browser leg; a device sign-in has none.
                endpoints = try await provider.discoveredEndpoints(
                    issuer: issuer, device: deviceURL, requirePKCE: !noPKCE && !device,
                    transport: try terminal.transport(environment, caBundleFlag: provider.cacert),
                    environment: environment)
            } else {
                endpoints = try provider.endpoints(environment: environment, device: deviceURL)
            }
            domainID = try provider.domainID(for: endpoints, environment)
            clientID = try provider.resolvedClientID(environment)
        }
        let profileName = try ProfileSelection.named(profile, environment) ?? (devApp == nil ? "default" : "dev")
        let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
        // A Native app has no secret: --public-client says so, and the profile remembers it.
        let isPublic =
            devApp == nil && (publicClient || (try? store.profile(profileName))?.map { $0.clientID == clientID && $0.publicClient == true } == true)
        if isPublic, clientSecretFile != nil || environment["PDS_CLIENT_SECRET"].map({ !$0.isEmpty }) == true {
            throw PDSAuthError(
                .invalidSetting,
                "This app is a public client (--public-client, or remembered for profile \"\(profileName)\"), yet a client secret was given")
        }
        if let devApp {
            secret = devApp.clientSecret
        } else if isPublic {
            secret = nil
        } else {
            secret = try await ClientSecretSource.resolve(file: clientSecretFile, environment: environment, terminal: terminal, prompt: true)
        }
        var redirects: [RedirectTarget] = []
        for uri in redirectURIs.isEmpty ? [RedirectTarget.defaultURI] : redirectURIs { redirects.append(try RedirectTarget(parsing: uri)) }
        var configuration = LoginConfiguration(
            endpoints: endpoints, domainID: domainID, clientID: clientID, clientSecret: secret, redirects: redirects, scope: scope,
            loginType: loginType ?? (endpoints.flavor == .pds ? "default" : nil), usePKCE: !noPKCE, profileName: profileName, store: store,
            transport: try terminal.transport(environment, caBundleFlag: provider.cacert), timeout: .seconds(timeout),
            rememberedCABundle: provider.cacert,
            secretStore: try secretStore.prepare(environment, store: store, profile: profileName))
        configuration.publicClient = isPublic
        configuration.devServer = devApp?.stateDirectory
        return configuration
    }

    /// `login --dev`: signs in against the dev server that keeps its state in the default
    /// state directory — the one already running there (`pds-auth dev-server`), or one run
    /// in-process on the standard port (`--dev-port`), which keeps what it issued so that
    /// `pds-auth dev-server` serves the profile afterwards.
    func runAgainstDevServer(_ environment: [String: String], _ terminal: Terminal) async throws(PDSAuthError) -> LoginResult {
        let stateDirectory = DevServerHome.directory(environment)
        if let stateDirectory, let running = DevServer.running(stateDirectory: stateDirectory) {
            terminal.say(terminal.dim("Signing in to the dev server already running at \(running) (state in \(stateDirectory))."))
            let app = DevApp(
                baseURL: running, domainID: "dev", clientID: "pds-auth-demo",
                clientSecret: DevServer.keptClientSecret(stateDirectory: stateDirectory, clientID: "pds-auth-demo"), stateDirectory: stateDirectory)
            return try await runLogin(environment, terminal, devApp: app)
        }
        var redirects: [String] = []
        for uri in redirectURIs.isEmpty ? [RedirectTarget.defaultURI] : redirectURIs { redirects.append(try RedirectTarget(parsing: uri).uri) }
        // The standard port when it is free (then `pds-auth dev-server` with no flags serves the
        // profile later), else any: a taken standard port is no reason to fail. And when
        // another login --dev holds the state directory (its server stops with it), a server
        // of our own that keeps nothing.
        var port = devPort == DevServerHome.standardPort && !DevServerHome.isFree(devPort) ? 0 : devPort
        var directory = stateDirectory
        while true {
            do {
                if let result = try await runInProcess(environment, terminal, redirects: redirects, stateDirectory: directory, port: port) {
                    return result
                }
                terminal.say(terminal.dim("Another login --dev is using \(directory ?? ""); this dev server keeps nothing."))
                directory = nil
            } catch  where port == DevServerHome.standardPort && error.code == .portInUse {
                port = 0
            }
        }
    }

    /// Signs in to a dev server of this process's own; nil when another dev server holds
    /// `stateDirectory` (then nothing was started).
    private func runInProcess(
        _ environment: [String: String], _ terminal: Terminal, redirects: [String], stateDirectory: String?,
        port: Int
    ) async throws(PDSAuthError) -> LoginResult? {
        var configuration = DevServerConfiguration.demo(redirectURIs: redirects, port: port)
        // RFC 8252 §7.3: loopback redirects may use any port (needed with --redirect-uri …:0/…).
        configuration.allowsAnyLoopbackPort = true
        configuration.stateDirectory = stateDirectory
        let started = LockedValue(false)
        do {
            let result = try await DevServer.withRunning(configuration, logger: logger) { server, baseURL in
                started.set(true)
                terminal.say(terminal.dim(server.summary(baseURL: baseURL)))
                let app = server.configuration.apps[0]
                return try await runLogin(
                    environment, terminal,
                    devApp: DevApp(
                        baseURL: baseURL, domainID: server.configuration.domainID,
                        clientID: app.clientID, clientSecret: app.clientSecret,
                        stateDirectory: stateDirectory))
            }
            if let stateDirectory {
                let command = DevServerHome.startCommand(
                    port: result.profile.endpoints.base.port, stateDirectory: stateDirectory, environment: environment)
                terminal.say("  The dev server stopped with this command; to use the profile, start it again with `\(command)`,")
                terminal.say("  then for example `pds-auth api /v2/user/get`.")
            } else {
                terminal.say("  The dev server kept nothing (no PDS_AUTH_HOME, XDG_STATE_HOME or HOME): this profile works only while it runs.")
            }
            return result
        } catch let error as PDSAuthError {
            throw error
        } catch let error as DevServerError where error != .stoppedBeforeListening {
            if let stateDirectory, error == .stateDirectoryInUse(stateDirectory) { return nil }
            throw PDSAuthError(.invalidSetting, "The dev server could not start: \(error)")
        } catch {
            // Before the server listened: its port (classified as the listener's are).
            if !started.value { throw ListenerServer.bindError(error, host: "127.0.0.1", port: port) }
            throw PDSAuthError(.listenFailed, "The dev server stopped: \(error)")
        }
    }
}
