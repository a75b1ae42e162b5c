import ArgumentParser
import FoundationEssentials
import PDSAuth

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Where profiles keep their secrets (file or secret-service).",
        subcommands: [StoreMigrateCommand.self])
}

struct StoreMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move profiles' secrets to another store: stored and read back there, then removed from where they were.",
        discussion: """
            --to file lowers their protection (plain text in credentials.json, mode 0600): on a terminal it asks first; \
            otherwise pass --yes.
            """)

    @Option(name: .customLong("to"), help: "The store to move them to: file or secret-service.")
    var target: SecretStoreKind

    @Option(help: "Move only this profile (default: every profile not yet there).")
    var profile: String?

    @Flag(help: "Do not ask before moving secrets into the file.")
    var yes = false

    func validate() throws {
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(environment: environment)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
            let names = try movable(in: store.load(), store: store)
            guard !names.isEmpty else {
                terminal.say(
                    "Nothing to move: \(profile.map { "profile \"\($0)\" keeps" } ?? "every profile keeps") its secrets in \(target.rawValue) already."
                )
                return
            }
            if target == .file { try await confirm(names, terminal) } else { try store.checkSecretStore(for: names[0]) }
            for name in names {
                try await CommandRunner.cancellable(unwound: "nothing more was moved") { () throws(PDSAuthError) in
                    try await Self.move(name, to: target, in: store)
                }
                terminal.say(
                    "\(terminal.green("✓")) Moved the secrets of profile \"\(name)\" to \(target == .file ? "the credentials file" : "the Secret Service")."
                )
            }
        }
    }

    /// The profiles to move: the one named, else every usable one not in `target` yet.
    func movable(in file: CredentialsFile, store: CredentialStore) throws(PDSAuthError) -> [String] {
        guard let profile else { return file.names.filter { file.unreadable[$0] == nil && file.secretStore(of: $0) != target } }
        guard file.names.contains(profile) else { throw TokenProvider.noProfile(profile, store: store) }
        // An unusable entry: the same error every command gives for it.
        if file.unreadable[profile] != nil { _ = try file.profile(profile, path: store.filePath) }
        return file.secretStore(of: profile) == target ? [] : [profile]
    }

    /// Secrets into plain text only when the user says so: asked on a terminal, `--yes` otherwise.
    func confirm(_ names: [String], _ terminal: Terminal) async throws(PDSAuthError) {
        guard !yes else { return }
        let list = names.map { "\"\(Redaction.terminalSafe($0, limit: 64))\"" }.joined(separator: ", ")
        guard terminal.stdinIsTTY else {
            throw PDSAuthError(.confirmationRequired, "Moving secrets into the credentials file lowers their protection; nothing was moved")
        }
        terminal.must(
            "Move the secrets of \(list) out of the Secret Service into \(terminal.dim("credentials.json")) (plain text, mode 0600)? [y/N] ")
        guard let answer = await terminal.readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            throw PDSAuthError(.cancelled, "Nothing was moved")
        }
    }

    /// One profile, under the lock: opened from where it is, written where it goes (the
    /// store's save order: new store first, verified; then the file; then the old copies go).
    static func move(_ name: String, to target: SecretStoreKind, in store: CredentialStore) async throws(PDSAuthError) {
        try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
            guard var profile = try store.profile(name, in: &file) else { throw TokenProvider.noProfile(name, store: store) }
            guard profile.secretStore != target else { return }
            profile.secretStore = target
            file.profiles[name] = profile
        }
    }
}
