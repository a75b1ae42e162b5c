import ArgumentParser
import PDSAuth

extension SecretStoreKind: ExpressibleByArgument {}

/// `--store file|secret-service` for the commands that save a new session (`login`, `jwt`,
/// `import`); else `PDS_AUTH_STORE`; else where the profile keeps its secrets now.
struct SecretStoreOption: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "Where to keep the secrets: file (credentials.json, 0600; the default) or secret-service (the desktop keyring, through libsecret); env PDS_AUTH_STORE.",
        discussion: "The profile remembers it. Only an explicit --store file moves a profile's secrets out of the Secret Service."))
    var store: SecretStoreKind?

    func choice(_ environment: [String: String]) throws(PDSAuthError) -> SecretStoreChoice {
        try SecretStoreChoice.from(flag: store, environment: environment)
    }

    /// Where profile `name` in `credentials` will keep its secrets; when that is the Secret
    /// Service, checks first that it can be written (its unlock prompt, if it is locked), so
    /// a sign-in never ends with tokens that cannot be saved.
    func prepare(_ environment: [String: String], store credentials: CredentialStore, profile name: String) throws(PDSAuthError) -> SecretStoreChoice {
        let choice = try choice(environment)
        let kind = choice.resolve(remembered: try credentials.load().secretStore(of: name))
        if kind == .secretService { try credentials.checkSecretStore(for: name) }
        return choice
    }
}
