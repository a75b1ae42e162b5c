import FoundationEssentials
import Glibc

/// Where private directories may be made: `$XDG_RUNTIME_DIR` (a per-user 0700 tmpfs), else
/// `$TMPDIR`, else `/tmp` — but only a root that no other user can rearrange. Another user
/// who can rename entries in the root (or in any directory above it) could swap our
/// directory for a symbolic link while it is in use, and `sudo -E` or `su` without `-` keep
/// the invoking user's `TMPDIR`. So the root is resolved (`realpath`) and it and every
/// directory above it must be owned by this user or by root, and writable by no one else
/// unless its sticky bit is set (as `/tmp`'s is: then others cannot rename what is ours).
/// A root that fails is skipped with a warning saying why; the next candidate is tried.
package enum TemporaryRoot {
    /// A safe root, resolved and open.
    package final class Choice: Sendable {
        package let path: String
        let descriptor: Int32

        init(path: String, descriptor: Int32) {
            self.path = path
            self.descriptor = descriptor
        }

        deinit { close(descriptor) }
    }

    /// The candidates in order, each with the variable it came from.
    static func candidates(_ environment: [String: String]) -> [(path: String, source: String)] {
        var list: [(String, String)] = []
        for name in ["XDG_RUNTIME_DIR", "TMPDIR"] {
            if let value = environment[name], !value.isEmpty { list.append((value, name)) }
        }
        list.append(("/tmp", "/tmp"))
        return list
    }

    /// The first safe candidate; `onWarning` hears about each one refused for safety (not
    /// about one that simply does not exist).
    package static func choose(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onWarning: (String) -> Void = { _ in }
    ) throws(PDSAuthError) -> Choice {
        for (path, source) in candidates(environment) {
            switch open(path) {
            case .success(let choice): return choice
            case .failure(.missing): continue
            case .failure(.unsafe(let reason)):
                onWarning(
                    "not using \(source == path ? path : "\(source) (\(Redaction.terminalSafe(path, limit: 200)))") for private files: \(reason)")
            }
        }
        throw PDSAuthError(.writeFailed, "No safe temporary directory for private files (XDG_RUNTIME_DIR, TMPDIR and /tmp were refused)")
    }

    enum Refusal: Error, Equatable {
        case missing
        case unsafe(String)
    }

    /// `path` resolved and opened, when it is a safe root.
    static func open(_ path: String) -> Result<Choice, Refusal> {
        guard path.hasPrefix("/"), let resolved = realpath(path, nil) else { return .failure(.missing) }
        let real = String(cString: resolved)
        free(resolved)
        if let reason = problem(resolvedPath: real) { return .failure(.unsafe(reason)) }
        let descriptor = Glibc.open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.missing) }
        guard access(real, W_OK | X_OK) == 0 else {
            close(descriptor)
            return .failure(.missing)
        }
        return .success(Choice(path: real, descriptor: descriptor))
    }

    /// Why the resolved `path` is unsafe, or nil: it and each directory above it must be a
    /// directory owned by this user or root, and not writable by group or others unless sticky.
    static func problem(resolvedPath path: String) -> String? {
        var prefixes = ["/"]
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        for directory in prefixes {
            var info = stat()
            guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
            guard info.st_uid == geteuid() || info.st_uid == 0 else {
                return "\(directory) belongs to another user (uid \(info.st_uid)), who could swap what pds-auth puts there"
            }
            guard info.st_mode & 0o022 == 0 || info.st_mode & S_ISVTX != 0 else {
                return "\(directory) is writable by other users and not sticky (mode \(String(info.st_mode & 0o7777, radix: 8)))"
            }
        }
        return nil
    }
}
