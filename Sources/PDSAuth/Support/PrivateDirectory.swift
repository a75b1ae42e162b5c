import FoundationEssentials
import Glibc

/// A fresh directory only this user can enter (mkdtemp: mode 0700, unguessable name), for
/// files handed to other programs that must not be readable by anyone else.
public enum PrivateDirectory {
    /// Creates `<root>/<prefix>XXXXXX`; nil (with errno set) when it cannot.
    public static func make(prefix: String, root: String = temporaryRoot()) -> String? {
        var template = Array("\(root)/\(prefix)XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
    }

    /// `$XDG_RUNTIME_DIR` (a per-user 0700 tmpfs) when it is usable, else `$TMPDIR`, else /tmp.
    public static func temporaryRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for name in ["XDG_RUNTIME_DIR", "TMPDIR"] {
            if let value = environment[name], value.hasPrefix("/"), access(value, W_OK) == 0 { return value }
        }
        return "/tmp"
    }
}
