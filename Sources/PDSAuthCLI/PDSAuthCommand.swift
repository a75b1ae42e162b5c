import ArgumentParser
import Glibc
import PDSAuth

struct PDSAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pds-auth",
        abstract: "Sign in to Alibaba Cloud Drive and Photo Service (PDS) and keep a refreshable OAuth token.",
        discussion: "Exit statuses: 0 success, 2 command line, 7 sign in again, 8 and 9 retry later; all of them: pds-auth help exit-codes.",
        version: PDSAuthVersion.current,
        subcommands: [LoginCommand.self, JWTCommand.self, TokenCommand.self, ApiCommand.self, ExecCommand.self, RefreshCommand.self,
                      StatusCommand.self, SwitchCommand.self, LogoutCommand.self, StoreCommand.self, ImportCommand.self, ExportCommand.self,
                      DoctorCommand.self, DevServerCommand.self, ExitCodesCommand.self])

    /// argument-parser's entry point, with one exit status for every command-line mistake:
    /// its parse and validation errors become 2 (README's "invalid command line") instead of
    /// its default 64.
    static func main() async {
        let commands = configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
        if let mistake = CommandLineMistakes.check(Array(CommandLine.arguments.dropFirst()), commands: commands) {
            _ = FileDescriptorOutput.write(mistake + "\n", to: 2)
            Glibc.exit(ExitStatus.usage.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // One style for every error line: argument-parser's "Error: " becomes the
            // "error: " runtime errors print.
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            if !message.isEmpty { _ = FileDescriptorOutput.write(message + "\n", to: code == .success ? 1 : 2) }
            Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
