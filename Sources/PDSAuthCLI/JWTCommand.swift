import ArgumentParser
import FoundationEssentials
import Glibc
import PDSAuth
import PDSShared

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
    @OptionGroup var verbosity: VerboseOption

    @OptionGroup var secretStore: SecretStoreOption

    @Option(name: .customLong("private-key"), help: "PEM file of the app's RSA private key (PKCS#1 or PKCS#8, at least 2048 bits).")
    var privateKey: String

    @Option(help: "The user id to act as; for --subject-type service, the domain id (the default).")
    var subject: String?

    @Option(name: .customLong("subject-type"), help: "user, or service (a service account with super-admin rights).")
    var subjectType: SubjectType = .user

    @Flag(name: .customLong("auto-create"), help: "Ask PDS to create the user if missing (auto_create).")
    var autoCreate = false

    @Option(help: "Seconds until the assertion expires (exp), 1–3600.")
    var lifetime: Int = 300

    @Option(name: .customLong("clock-skew"), help: "Seconds iat/nbf are backdated, for servers whose clock is behind (0–600).")
    var clockSkew: Int = 30

    @Option(
        help: "Profile name to save under (env PDS_AUTH_PROFILE; default \"default\"). It becomes the current profile.",
        completion: ProfileCompletion.names)
    var profile: String?

    @Flag(name: .customLong("show-token"), help: "Print the full access token (otherwise masked).")
    var showToken = false

    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(help: "Only errors on stderr.")
    var quiet = false

    func validate() throws {
        guard JWTSettings.lifetimeRange.contains(lifetime) else { throw ValidationError("--lifetime must be 1–3600 seconds") }
        guard JWTSettings.clockSkewRange.contains(clockSkew) else { throw ValidationError("--clock-skew must be 0–600 seconds") }
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
        try provider.checkGenericOnly(generic: provider.namesEndpoints)
        if let subject, subject.isEmpty || subject.utf8.count > 256 || !TokenResponse.isTokenText(subject) {
            throw ValidationError("--subject must be printable ASCII of at most 256 characters")
        }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, quiet: quiet, verbose: verbosity.verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let signIn = try makeSignIn(environment, terminal)
            let result = try await CommandRunner.cancellable { () throws(PDSAuthError) in try await signIn.run() }
            LoginReport(terminal: terminal, showToken: showToken, json: json).printSuccess(result)
        }
    }

    func makeSignIn(_ environment: [String: String], _ terminal: Terminal) throws(PDSAuthError) -> JWTSignIn {
        let endpoints = try provider.endpoints(environment: environment)
        guard let domainID = try provider.domainID(for: endpoints, environment) else {
            throw PDSAuthError(.missingDomainID, "No domain id given; a JWT assertion names it as its audience")
        }
        let keyPath = URL(fileURLWithPath: privateKey).standardizedFileURL.path
        let keyFile = try RSAKeyFile(path: keyPath)
        for warning in keyFile.warnings { terminal.warn(warning) }
        guard let sub = subject ?? (subjectType == .service ? domainID : nil) else {
            throw PDSAuthError(.missingSubject, "No subject given")
        }
        let settings = JWTSettings(
            privateKeyPath: keyPath, subject: sub, subjectType: subjectType.rawValue, autoCreate: autoCreate,
            lifetime: .seconds(lifetime), clockSkew: .seconds(clockSkew))
        let profileName = try ProfileSelection.named(profile, environment) ?? "default"
        let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
        return JWTSignIn(
            endpoints: endpoints, domainID: domainID, clientID: try provider.resolvedClientID(environment), settings: settings,
            profileName: profileName, store: store, transport: try terminal.transport(environment, caBundleFlag: provider.cacert),
            rememberedCABundle: provider.cacert, secretStore: try secretStore.prepare(environment, store: store, profile: profileName))
    }
}

/// Writes a private key the way ssh-keygen does: created 0600, never world-readable.
enum KeyFileWriter {
    static func write(_ pem: String, to path: String) throws(PDSAuthError) {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PDSAuthError(.keyWriteFailed, "Cannot create the key file", details: ["path": path])
        }
        defer { close(descriptor) }
        let bytes = Array(pem.utf8)
        guard bytes.withUnsafeBytes({ FileDescriptorWriting.writeAll(descriptor, $0) }) else {
            throw PDSAuthError(.keyWriteFailed, "Cannot write the key file", details: ["path": path])
        }
    }
}
