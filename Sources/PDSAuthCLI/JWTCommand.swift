import ArgumentParser
import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct JWTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwt",
        abstract: "Get a token for a JWT app without a browser (JWT-bearer grant, RS256 assertion).",
        discussion: """
            The profile remembers the key's path (never the key); `pds-auth token` signs a new \
            assertion whenever the access token nears expiry.
            """)

    enum SubjectType: String, ExpressibleByArgument, CaseIterable { case user, service }

    @OptionGroup var provider: ProviderOptions

    @Option(name: .customLong("private-key"), help: "PEM file of the app's RSA private key (PKCS#1 or PKCS#8, at least 2048 bits).")
    var privateKey: String

    @Option(help: "The user id to act as; for --subject-type service, the domain id (the default).")
    var subject: String?

    @Option(name: .customLong("subject-type"), help: "user, or service (a service account with super-admin rights).")
    var subjectType: SubjectType = .user

    @Flag(name: .customLong("auto-create"), help: "Ask PDS to create the user if missing (auto_create).")
    var autoCreate = false

    @Option(help: "Seconds until the assertion expires (exp).")
    var lifetime: Int = 300

    @Option(name: .customLong("clock-skew"), help: "Seconds iat/nbf are backdated, for servers whose clock is behind.")
    var clockSkew: Int = 30

    @Option(help: "Profile name to save under (env PDS_AUTH_PROFILE; default \"default\").")
    var profile: String?

    @Flag(name: .customLong("show-token"), help: "Print the full access token (otherwise masked).")
    var showToken = false

    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(help: "Only errors on stderr.")
    var quiet = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment, quiet: quiet)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            let signIn = try makeSignIn(environment, terminal)
            let result = try await CancellableRun.run(terminal: terminal) { () throws(PDSAuthError) in try await signIn.run() }
            LoginReport(terminal: terminal, showToken: showToken, json: json).printSuccess(result)
        }
    }

    func makeSignIn(_ environment: [String: String], _ terminal: Terminal) throws(PDSAuthError) -> JWTSignIn {
        guard let domainID = provider.resolvedDomainID(environment) else {
            throw PDSAuthError(.configuration, code: "missing_domain_id", "No domain id given; a JWT assertion names it as its audience",
                               hint: "Pass --domain-id (or set PDS_DOMAIN_ID).")
        }
        guard (1...3600).contains(lifetime), (0...600).contains(clockSkew) else {
            throw PDSAuthError(.configuration, code: "invalid_lifetime", "--lifetime must be 1–3600 s and --clock-skew 0–600 s")
        }
        let keyPath = URL(fileURLWithPath: privateKey).standardizedFileURL.path
        let keyFile = try RSAKeyFile(path: keyPath)
        for warning in keyFile.warnings { terminal.say("warning: \(warning)") }
        let sub = subject ?? (subjectType == .service ? domainID : nil)
        guard let sub, !sub.isEmpty else {
            throw PDSAuthError(.configuration, code: "missing_subject", "No subject given", hint: "Pass --subject USER_ID (or --subject-type service).")
        }
        let settings = JWTSettings(privateKeyPath: keyPath, subject: sub, subjectType: subjectType.rawValue, autoCreate: autoCreate,
                                   lifetime: lifetime, clockSkew: clockSkew)
        return JWTSignIn(endpoints: try provider.endpoints(environment: environment), domainID: domainID,
                         clientID: try provider.resolvedClientID(environment), settings: settings,
                         profileName: profile ?? environment["PDS_AUTH_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                         store: CredentialStore(directory: try StoreLocation.directory(environment: environment)),
                         transport: provider.transport(environment: environment), rememberedCABundle: provider.cacert)
    }
}
