import FoundationEssentials
import Glibc
import PDSAuth

/// `pds-auth token` when the profile's token is fresh: the same answer `TokenCommand` would
/// print, without swift-argument-parser (its parse reflects over every command and checks
/// for completion-script requests: about half of this command's time) and without copying
/// the whole environment. It recognises exactly `token [--format F] [--profile P]
/// [--min-valid N]` (each at most once, `--name value` or `--name=value`, values that
/// `TokenCommand` accepts); anything else, and every case but "the chosen profile exists and
/// is fresh" (no file, an error, a renewal due, `PDS_AUTH_HTTP_TIMEOUT` set), is left to the
/// full command, which reports or renews exactly as always. `TokenFastPathTests` holds its
/// grammar to `TokenCommand`'s.
enum TokenFastPath {
    struct Options: Equatable {
        var format: TokenCommand.Format = .bare
        var profile: String?
        var minValid = 300
    }

    /// What `token` prints for `arguments` (without the final newline), when this path can
    /// answer; nil otherwise. `variable` reads the environment (getenv(3) in the program);
    /// `warn` reports the store's repairs, as the full command would.
    static func answer(_ arguments: ArraySlice<String>, variable: (String) -> String? = Self.variable,
                       warn: @escaping @Sendable (String) -> Void) -> String? {
        guard let options = parse(arguments), variable("PDS_AUTH_HTTP_TIMEOUT") == nil else { return nil }
        var environment: [String: String] = [:]
        for key in ["PDS_AUTH_HOME", "XDG_CONFIG_HOME", "HOME", "PDS_AUTH_PROFILE"] {
            environment[key] = variable(key)
        }
        // No named profile is an answer (nil), not a failure: keep the two apart.
        let named: String?
        do { named = try ProfileSelection.named(options.profile, environment) } catch { return nil }
        guard let directory = try? StoreLocation.directory(environment: environment) else { return nil }
        let store = CredentialStore(directory: directory, onWarning: warn)
        guard let file = try? store.load(), let name = try? ProfileChoice.resolve(named, in: file, store: store),
              let profile = try? file.profile(name, path: store.filePath),
              TokenProvider(store: store).isFresh(profile, minValid: .seconds(options.minValid)) else { return nil }
        return TokenFormatter.render(profile, name: name, format: options.format)
    }

    static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The options of an exact `token` command line, or nil for anything else.
    static func parse(_ arguments: ArraySlice<String>) -> Options? {
        var rest = arguments
        guard rest.popFirst() == "token" else { return nil }
        var options = Options()
        var seen: Set<Substring> = []
        while let argument = rest.popFirst() {
            let name: Substring
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = argument[..<equals]
                value = String(argument[argument.index(after: equals)...])
            } else {
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                name = argument[...]
                value = next
            }
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "--format":
                guard let format = TokenCommand.Format(rawValue: value) else { return nil }
                options.format = format
            case "--profile":
                guard ProfileChoice.isValidName(value) else { return nil }
                options.profile = value
            case "--min-valid":
                guard value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let seconds = Int(value),
                      TokenCommand.minValidRange.contains(seconds) else { return nil }
                options.minValid = seconds
            default:
                return nil
            }
        }
        return options
    }
}
