import ArgumentParser
import FoundationEssentials
import PDSAuth

struct SwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "Make a saved profile the current one (used when no --profile or PDS_AUTH_PROFILE is given).")

    @Argument(help: "The profile to make current.", completion: ProfileCompletion.names)
    var name: String

    func validate() throws {
        if !ProfileChoice.isValidName(name) { throw ValidationError(ProfileSelection.nameRule(name)) }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
            let name = self.name
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                guard file.names.contains(name) else { throw TokenProvider.noProfile(name, store: store) }
                file.current = name
            }
            terminal.say("\(terminal.green("✓")) \"\(name)\" is now the current profile.")
        }
    }
}
