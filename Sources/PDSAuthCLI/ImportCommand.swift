import ArgumentParser
import FoundationEssentials
import PDSAuth

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Receive a session from another machine: print a one-time recipient key, then wait for the sealed session.",
        discussion: """
            1. Here: pds-auth import --profile NAME prints one line, a recipient key, and waits.
            2. There: pds-auth export --profile NAME --to KEY prints the session sealed for that key, as one line, \
            and removes it there.
            3. Paste that line here (or let --from FILE receive it). It opens only in this waiting process, for 10 \
            minutes; it is then saved as NAME and becomes the current profile.
            """)

    @Option(help: "The name to save the session under (it must not exist yet).")
    var profile: String

    @Option(name: .customLong("from"), help: "Wait for the sealed session in this file (read once it holds a whole line) instead of stdin.")
    var from: String?

    @OptionGroup var secretStore: SecretStoreOption

    @Option(help: "Seconds to wait for the sealed session (1–600).")
    var timeout: Int = 600

    func validate() throws {
        if !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
        guard (1...Int(SealedSession.lifetime)).contains(timeout) else { throw ValidationError("--timeout must be 1–600 seconds") }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(environment: environment)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
            let name = profile
            guard !(try store.load().names.contains(name)) else { throw Self.exists(name) }
            let choice = try secretStore.prepare(environment, store: store, profile: name)
            // The private half exists only here, in this process's memory, for this one import.
            let receiver = SessionReceiver()
            terminal.out(receiver.recipient.text)
            terminal.must(
                "On the machine that has the session, run:\n  pds-auth export --profile NAME --to \(terminal.dim("<the key above>"))\n"
                    + "then paste the line it prints here\(from.map { " (or put it in \($0))" } ?? "") (waiting up to \(ExpiryText.duration(timeout)))…"
            )
            let source = from
            let wait = Duration.seconds(timeout)
            let (opened, sourceName) = try await CommandRunner.cancellable(unwound: "nothing was saved") { () throws(PDSAuthError) in
                try await SealedInput.first(from: source, timeout: wait, terminal: terminal) { line in
                    do throws(PDSAuthError) { return try receiver.open(line) } catch {
                        terminal.warn(Self.stillWaiting(error, file: source))
                        return nil
                    }
                }
            }
            let saved = try await Self.save(opened, as: name, choice: choice, in: store)
            let who = saved.user?.displayName.map { " as \(Redaction.terminalSafe($0, limit: 80))" } ?? ""
            terminal.say(
                "\(terminal.green("✓")) Imported profile \"\(name)\" (\"\(Redaction.terminalSafe(sourceName, limit: 64))\" there): signed in\(who) at \(Redaction.terminalSafe(saved.endpoints.base.absoluteString, limit: 200)); now the current profile\(saved.secretStore == .secretService ? ", its secrets in the Secret Service" : "")."
            )
        }
    }

    /// Saves the session under the lock, as long as no profile of that name appeared meanwhile.
    static func save(
        _ profile: StoredProfile, as name: String, choice: SecretStoreChoice, in store: CredentialStore
    ) async throws(PDSAuthError) -> StoredProfile {
        try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) -> StoredProfile in
            guard !file.names.contains(name) else { throw exists(name) }
            var profile = profile
            profile.secretStore = choice.resolve(remembered: nil)
            file.profiles[name] = profile
            file.current = name
            return profile
        }
    }

    /// What a refused line gets: why, and that the wait goes on (the line may have been cut
    /// or mangled on the way; the sealed session can still arrive whole).
    static func stillWaiting(_ error: PDSAuthError, file: String?) -> String {
        let reason = error.message.replacing("; nothing was saved", with: "")
        return
            "\(reason). Still waiting: \(file == nil ? "paste" : "write") the whole line `pds-auth export` printed\(file.map { " into \($0)" } ?? ""), or press Ctrl-C."
    }

    static func exists(_ name: String) -> PDSAuthError {
        PDSAuthError(.profileExists, "A profile \"\(Redaction.terminalSafe(name, limit: 64))\" exists already; nothing was imported")
    }
}
