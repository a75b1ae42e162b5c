import Foundation
import PDSAuthTestSupport
import Testing

/// Docs/pds-auth.1 is generated (`make manpage`) and committed, so that `make install` needs
/// no second build. This keeps it current: every command and every option the binary
/// declares (its `--experimental-dump-help`, swift-argument-parser's description of itself,
/// which the generator reads too) must appear in the committed page.
@Suite struct ManualPageTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Docs/pds-auth.1").standardized.path

    @Test func namesEveryCommandAndOption() async throws {
        let dump = try await CLIProcess.run(["--experimental-dump-help"], environment: [:])
        #expect(dump.status == 0, "\(dump.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let text = try String(contentsOfFile: Self.page, encoding: .utf8).replacing("\\-", with: "-")
        let command = try #require(root["command"] as? [String: Any])
        let declared = Self.names(in: command)
        #expect(declared.count > 40, "the dump lists the commands and their options: \(declared)")
        let missing = declared.filter { !text.contains($0) }
        #expect(missing.isEmpty, "Docs/pds-auth.1 is out of date (run `make manpage`); it lacks \(missing)")
        // Each command's options in its own entry (`.It Em name` up to the next command), so
        // an option shared with another command cannot stand in for a missing one.
        // A command's entry holds its own subcommands' entries (`store migrate`): it ends at
        // the next command of the same level.
        let subcommands = command["subcommands"] as? [[String: Any]] ?? []
        let topLevel = subcommands.compactMap { $0["commandName"] as? String }
        for subcommand in subcommands {
            let name = try #require(subcommand["commandName"] as? String)
            let after = try #require(text.components(separatedBy: "\n.It Em \(name)\n").dropFirst().first, "no entry for \(name)")
            let entry = topLevel.reduce(after) { entry, other in entry.components(separatedBy: "\n.It Em \(other)\n").first ?? entry }
            let lacking = Self.names(in: subcommand).filter { $0.hasPrefix("-") && !entry.contains("Fl " + $0) && !entry.contains(" , " + $0) }
            #expect(lacking.isEmpty, "the manual's entry for \(name) lacks \(lacking)")
        }
    }

    /// Command names and long option names, depth first.
    static func names(in command: [String: Any]) -> [String] {
        var names = [command["commandName"] as? String].compactMap { $0 }
        for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                if let long = name["name"] as? String { names.append("-" + long) }
            }
        }
        for subcommand in command["subcommands"] as? [[String: Any]] ?? [] {
            names += Self.names(in: subcommand)
        }
        return names
    }
}
