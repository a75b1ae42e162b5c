import ArgumentParser
import FoundationEssentials
import PDSAuth

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Seal a profile's session for one waiting `pds-auth import`, print it as one line, and remove it here.",
        discussion: """
            The line opens only in the import process that printed the key, for 10 minutes. The session is removed \
            here because a refresh token rotates: the first refresh on the other machine would end it here anyway.
            """)

    @OptionGroup var selection: ProfileSelection

    @Option(name: .customLong("to"), help: "The recipient key the waiting `pds-auth import` printed (pds-auth-recipient-1:…).")
    var recipient: String

    @Flag(help: "Keep the session here too: only for providers whose refresh tokens do not rotate (never PDS).")
    var keep = false

    func validate() throws {
        do { _ = try RecipientKey(parsing: recipient) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(environment: environment)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            let recipient = try RecipientKey(parsing: self.recipient)
            let keep = self.keep
            let printed = LockedValue(false)
            do throws(PDSAuthError) {
                try await CommandRunner.cancellable(unwound: "nothing was removed") { () throws(PDSAuthError) in
                    try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                        guard let profile = try store.profile(name, in: &file) else { throw TokenProvider.noProfile(name, store: store) }
                        try Self.check(profile, keep: keep)
                        let line = try SealedSession.seal(profile, name: name, to: recipient)
                        // Printed before the profile goes: with stdout closed, this ends the
                        // process (exit 14) holding the lock, and nothing is removed.
                        terminal.out(line)
                        printed.set(true)
                        if !keep { _ = file.remove(name) }
                    }
                }
            } catch {
                guard printed.value else { throw error }
                var error = error
                error.message =
                    "The sealed session was printed, but the profile could not be removed here: \(error.message). Remove it with `pds-auth logout --profile \(name)` before the other machine refreshes"
                throw error
            }
            if keep {
                terminal.warn(
                    "profile \"\(name)\" is now in two places: if its provider rotates refresh tokens after all, the first refresh on either machine ends the session on the other"
                )
            } else {
                terminal.say(
                    "\(terminal.green("✓")) Sealed profile \"\(name)\" for that import (it opens there within 10 min) and removed it here. Paste the line above into the waiting `pds-auth import`."
                )
            }
        }
    }

    /// What can be moved: a session with a refresh token; with `--keep`, only where refresh
    /// tokens do not rotate (PDS's do).
    static func check(_ profile: StoredProfile, keep: Bool) throws(PDSAuthError) {
        if profile.jwt != nil {
            throw PDSAuthError(
                .sessionNotMovable, "A JWT profile has no session to move: copy its key to the other machine and run `pds-auth jwt` there")
        }
        if keep, profile.endpoints.flavor == .pds {
            throw PDSAuthError(
                .sessionNotMovable,
                "PDS refresh tokens rotate: kept on both machines, the first refresh on either would end the session on the other (--keep is for providers that do not rotate)"
            )
        }
    }
}
