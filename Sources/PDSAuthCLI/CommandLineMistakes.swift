import ArgumentParser
import PDSAuth

/// Mistakes caught before argument-parser sees the command line, because its own message
/// would be less helpful or would repeat what must not be repeated:
/// - an unknown command gets "did you mean" the closest one (as git and gh do);
/// - `--client-secret` (which does not exist, on purpose) gets the supported ways instead of
///   "Unknown option '--client-secret=…'", which would print the secret back.
enum CommandLineMistakes {
    /// The error line for `arguments` (without the program name), or nil to parse as usual.
    static func check(_ arguments: [String], commands: [String]) -> String? {
        // After `--`, words belong to `exec`'s program.
        let ours = arguments.prefix { $0 != "--" }
        if ours.contains(where: { $0 == "--client-secret" || $0.hasPrefix("--client-secret=") }) {
            return "error: there is no --client-secret option, on purpose: a command line is visible to every local user (ps). "
                + "Give the secret in PDS_CLIENT_SECRET, in a file with --client-secret-file FILE, or at the hidden prompt a terminal shows."
        }
        guard let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) else { return nil }
        let shown = Redaction.terminalSafe(first, limit: 40)
        guard let closest = commands.min(by: { distance(first, $0) < distance(first, $1) }), distance(first, closest) <= 2 else {
            return "error: unknown command '\(shown)'. The commands are: \(commands.filter { $0 != "help" }.joined(separator: ", ")) (see pds-auth --help)."
        }
        return "error: unknown command '\(shown)'. Did you mean '\(closest)'?"
    }

    /// Levenshtein distance: insertions, deletions and substitutions, each costing 1.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// `pds-auth exit-codes` (and `pds-auth help exit-codes`): what each exit status means, so
/// `pds-auth --help` can start with the commands.
struct ExitCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit-codes",
        abstract: "What pds-auth's exit statuses mean (exec exits with its program's status instead).",
        discussion: ExitStatus.helpText)

    func run() {
        _ = FileDescriptorOutput.write(ExitStatus.helpText + "\n", to: 1)
    }
}
