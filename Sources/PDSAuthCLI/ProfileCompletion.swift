import ArgumentParser
import FoundationEssentials
import PDSAuth

/// Shell completion of profile names, for `--profile` and `switch NAME`. The generated bash,
/// zsh and fish scripts call `pds-auth ---completion …` when the user presses Tab; this
/// answers with the names in the credentials file, read the way `status` reads it
/// (`StoreLocation`, `CredentialStore.load()`), except that a Tab press changes nothing (a
/// file open to others is left for the next command to narrow, and say so) and prints
/// nothing else. Any failure — no file, an unreadable or foreign one, a bad
/// `PDS_AUTH_HOME` — offers no names rather than an error in the middle of the command line.
enum ProfileCompletion {
    static let names = CompletionKind.custom { (_: [String], _: Int, _: String) -> [String] in
        profileNames(environment: ProcessInfo.processInfo.environment)
    }

    /// The saved profile names, sorted; only well-formed ones, so that a hand-edited name
    /// holding spaces, quotes or escape sequences is never put on a command line or a screen.
    static func profileNames(environment: [String: String]) -> [String] {
        guard let directory = try? StoreLocation.directory(environment: environment) else { return [] }
        var store = CredentialStore(directory: directory)
        store.permissionRepair = .report { _, _, _ in }
        guard let file = try? store.load() else { return [] }
        return file.names.filter(ProfileChoice.isValidName)
    }
}
