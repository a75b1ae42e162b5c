import ArgumentParser
import PDSAuth

@main
struct PDSAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pds-auth",
        abstract: "Sign in to Alibaba Cloud Drive and Photo Service (PDS) and keep a refreshable OAuth token.",
        discussion: ExitCodesHelp.text,
        version: PDSAuthVersion.current,
        subcommands: [LoginCommand.self, JWTCommand.self, TokenCommand.self, RefreshCommand.self, StatusCommand.self, LogoutCommand.self, DevServerCommand.self])
}

enum ExitCodesHelp {
    static var text: String {
        "Exit codes:\n" + ExitStatus.allCases.map { "  \($0.rawValue)\t\($0.meaning)" }.joined(separator: "\n")
    }
}
