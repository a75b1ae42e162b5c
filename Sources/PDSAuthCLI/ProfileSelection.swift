import ArgumentParser
import PDSAuth

/// `--profile`, else `PDS_AUTH_PROFILE`, else the current profile, else the only profile;
/// plus where the store is.
struct ProfileSelection: ParsableArguments {
    @Option(help: "Profile name (else env PDS_AUTH_PROFILE, else the current profile, else the only one).", completion: ProfileCompletion.names)
    var profile: String?

    func validate() throws {
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(Self.nameRule(profile)) }
    }

    static func nameRule(_ name: String) -> String {
        "Profile names are 1–64 letters, digits, '-', '_', '.' or '@', not \"\(Redaction.terminalSafe(name, limit: 64))\""
    }

    /// The name given on the command line or in the environment, if any.
    func named(_ environment: [String: String]) throws(PDSAuthError) -> String? {
        try Self.named(profile, environment)
    }

    static func named(_ flag: String?, _ environment: [String: String]) throws(PDSAuthError) -> String? {
        if let flag { return flag }
        guard let value = environment["PDS_AUTH_PROFILE"], !value.isEmpty else { return nil }
        guard ProfileChoice.isValidName(value) else { throw PDSAuthError(.invalidSetting, "PDS_AUTH_PROFILE: " + nameRule(value)) }
        return value
    }

    /// The profile to work on in `store`.
    func resolve(_ environment: [String: String], store: CredentialStore) throws(PDSAuthError) -> String {
        try ProfileChoice.resolve(named(environment), in: store.load(), store: store)
    }

    func store(_ environment: [String: String], _ terminal: Terminal) throws(PDSAuthError) -> CredentialStore {
        terminal.store(directory: try StoreLocation.directory(environment: environment))
    }
}
