import ArgumentParser
import PDSAuth

/// `--profile`, else `PDS_AUTH_PROFILE`, else "default"; plus where the store is.
struct ProfileSelection: ParsableArguments {
    @Option(help: "Profile name (env PDS_AUTH_PROFILE; default \"default\").")
    var profile: String?

    func name(_ environment: [String: String]) -> String {
        profile ?? environment["PDS_AUTH_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    func store(_ environment: [String: String]) throws(PDSAuthError) -> CredentialStore {
        CredentialStore(directory: try StoreLocation.directory(environment: environment))
    }
}

/// Runs a command body, reporting a `PDSAuthError` the standard way and exiting with its code.
func reportingErrors(_ terminal: Terminal, _ body: () async throws(PDSAuthError) -> Void) async throws {
    do {
        try await body()
    } catch {
        terminal.report(error)
        throw ExitCode(error.status.rawValue)
    }
}
