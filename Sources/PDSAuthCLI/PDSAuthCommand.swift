import ArgumentParser
import Glibc
import PDSAuth

struct PDSAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pds-auth",
        abstract: "Sign in to Alibaba Cloud Drive and Photo Service (PDS) and keep a refreshable OAuth token.",
        discussion: ExitStatus.helpText,
        version: PDSAuthVersion.current,
        subcommands: [LoginCommand.self, JWTCommand.self, TokenCommand.self, ApiCommand.self, ExecCommand.self, RefreshCommand.self,
                      StatusCommand.self, SwitchCommand.self, LogoutCommand.self, StoreCommand.self, ImportCommand.self, ExportCommand.self, DevServerCommand.self])

    /// argument-parser's entry point, with one exit status for every command-line mistake:
    /// its parse and validation errors become 2 (README's "invalid command line") instead of
    /// its default 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty { _ = FileDescriptorOutput.write(message + "\n", to: code == .success ? 1 : 2) }
            Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
