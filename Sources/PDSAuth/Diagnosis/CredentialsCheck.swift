import FoundationEssentials
import Glibc

/// Where credentials live (`StoreLocation`), what the directory and file are (type, mode,
/// owner), and whether pds-auth would accept them. The verdict is the store's own: the file
/// is read by `CredentialStore.load()` exactly as every command reads it (no symbolic link
/// followed, no FIFO waited on, only a regular file of this user), except that a directory
/// or file open to others is reported instead of narrowed — `doctor` changes nothing.
enum CredentialsCheck {
    /// The check, and the file (with its path, and the store that opens its profiles) when
    /// it could be read.
    static func run(environment: [String: String]) -> (DiagnosisCheck, (file: CredentialsFile, path: String, store: CredentialStore)?) {
        var check = DiagnosisCheck("credentials", summary: "")
        let directory: String
        do throws(PDSAuthError) { directory = try StoreLocation.directory(environment: environment) } catch {
            check.fail(error)
            return (check, nil)
        }
        let exposed = LockedValue<[String]>([])
        var store = CredentialStore(directory: directory)
        store.permissionRepair = .report { path, mode, wanted in
            exposed.update { $0.append("\(path) is open to other users (mode \(octal(mode)); pds-auth narrows it to \(octal(wanted)) when it next reads it)") }
        }
        check.fact("directory", directory, limit: 1000)
        check.fact("directory_is", describe(directory))
        check.fact("file", store.filePath, limit: 1000)
        check.fact("file_is", describe(store.filePath))
        do throws(PDSAuthError) {
            let file = try store.load()
            check.fact("accepted", true)
            check.fact("profiles", file.names.count)
            check.summary = file.names.isEmpty && !exists(store.filePath)
                ? "no credentials file yet (sign in with `pds-auth login`)"
                : "\(store.filePath) is accepted (\(count(file.names.count)))"
            if !exposed.value.isEmpty {
                check.fact("open_to_others", JSONValue.array(exposed.value.map { .string(Redaction.terminalSafe($0, limit: 1200)) }))
                check.fail(PDSAuthError(.credentialsExposed, exposed.value.joined(separator: "; ")))
            }
            return (check, (file, store.filePath, store))
        } catch {
            check.fact("accepted", false)
            check.fail(error)
            return (check, nil)
        }
    }

    static func count(_ profiles: Int) -> String { profiles == 1 ? "1 profile" : "\(profiles) profiles" }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// What is at `path`, without following a symbolic link: type, mode and owner.
    static func describe(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? "absent" : "not inspectable (\(String(cString: strerror(errno))))" }
        let kinds: [mode_t: String] = [S_IFREG: "regular file", S_IFDIR: "directory", S_IFLNK: "symbolic link", S_IFIFO: "FIFO",
                                       S_IFSOCK: "socket", S_IFCHR: "character device", S_IFBLK: "block device"]
        let kind = kinds[info.st_mode & S_IFMT] ?? "special file"
        return "\(kind), mode \(octal(info.st_mode & 0o7777)), owner \(owner(info.st_uid))"
    }

    /// `name (uid N)`, and whether that is the user running pds-auth.
    static func owner(_ uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name = getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0 && result != nil
            ? Redaction.terminalSafe(String(cString: entry.pw_name), limit: 64) : "uid \(uid)"
        let who = name == "uid \(uid)" ? name : "\(name) (uid \(uid))"
        return uid == geteuid() ? "\(who), you" : "\(who), not you"
    }
}
