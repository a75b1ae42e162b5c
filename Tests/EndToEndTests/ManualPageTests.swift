import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuthCLI

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

    static var repository: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path }

    /// `make manpage` is reproducible and was run: the generator, given the binary and the
    /// committed page's date, writes exactly the committed page.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func isWhatMakeManpageWrites() async throws {
        let page = try String(contentsOfFile: Self.page, encoding: .utf8)
        let date = try #require(page.split(separator: "\n").first { $0.hasPrefix(".Dd ") }.map { $0.dropFirst(4) })
        let parts = date.replacing(",", with: "").split(separator: " ")
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let month = try #require(months.firstIndex(of: String(parts[0]))) + 1
        let iso = "\(parts[2])-\(month < 10 ? "0" : "")\(month)-\(parts[1].count == 1 ? "0" : "")\(parts[1])"
        let generated = try await ChildTool.run(
            "/usr/bin/python3", [Self.repository + "/scripts/manpage", "--binary", CLIProcess.binary(), "--date", iso])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(generated.output == page, "Docs/pds-auth.1 is not what `make manpage` writes now: run `make manpage` and commit the page")
    }

    /// Rendered by man(1) (groff) and linted by `mandoc -T lint`: not one warning, and the
    /// header names the volume without groff 1.22's "BSD".
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/man") && FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc"),
            "needs man-db and mandoc"))
    func rendersWithoutAWarning() async throws {
        let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MANWIDTH": "80"]
        let warnings = try await ChildTool.run("/bin/sh", ["-c", #"man --warnings -l "$1" > /dev/null"#, "sh", Self.page], environment: environment)
        #expect(warnings.status == 0 && warnings.output.isEmpty, "man warns: \(warnings.output)")
        let lint = try await ChildTool.run("/usr/bin/mandoc", ["-T", "lint", "-W", "warning", Self.page], environment: environment)
        #expect(lint.status == 0 && lint.output.isEmpty, "mandoc -T lint: \(lint.output)")
        let rendered = try await ChildTool.run("/usr/bin/man", ["-l", Self.page], environment: environment)
        let header = rendered.output.split(separator: "\n").first ?? ""
        #expect(header.contains("PDS-AUTH(1)") && header.contains("General Commands Manual") && !header.contains("BSD"), "\(header)")
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(rendered.output.contains("\n\(section)\n"), "the rendered page lacks \(section)")
        }
    }

    /// FILES, ENVIRONMENT, EXIT STATUS and EXAMPLES are there, and EXIT STATUS is the table of
    /// `ExitStatus`: every status the program exits with, in order, with its meaning.
    @Test func hasTheFourSectionsAndTheExitStatusTable() throws {
        let page = try String(contentsOfFile: Self.page, encoding: .utf8)
        let sections = page.components(separatedBy: "\n.Sh ").dropFirst().map { $0.split(separator: "\n", maxSplits: 1) }
        let titles = sections.map { String($0[0]).replacing("\"", with: "") }
        for title in ["FILES", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"] {
            #expect(titles.contains(title), "no \(title) section in \(titles)")
        }
        #expect(
            page.contains(".It Pa $PDS_AUTH_HOME/credentials.json") && page.contains(".It Ev PDS_AUTH_HTTP_TIMEOUT")
                && page.contains("pds-auth doctor"))
        let body = try #require(sections.first { $0[0] == "EXIT STATUS" }.map { String($0[1]) })
        let rows = body.components(separatedBy: "\n.It ").dropFirst().map { entry -> (Int32, String) in
            let lines = entry.split(separator: "\n").prefix { !$0.hasPrefix(".") }
            let meaning = lines.dropFirst().joined(separator: " ").replacing("\\&", with: "").replacing("\\e", with: "\\")
            return (Int32(lines.first ?? "") ?? -1, meaning)
        }
        #expect(rows.map(\.0) == ExitStatus.allCases.map(\.rawValue), "\(rows)")
        #expect(rows.map(\.1) == ExitStatus.allCases.map(\.meaning), "\(rows)")
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
