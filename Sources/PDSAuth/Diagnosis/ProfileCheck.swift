import FoundationEssentials
import Glibc

/// Whether one saved profile can produce a token, and what a bug report needs to know about
/// it — never its tokens or client secret (only whether it has them).
///
/// A profile is checked by the store's own reading (a profile this version cannot use is
/// reported as every command reports it), then by each of ``rules``: to check something
/// new about profiles, add a rule.
package enum ProfileCheck {
    /// A rule: the error pds-auth would report for this profile, or nil when it passes.
    package typealias Rule = @Sendable (_ name: String, _ profile: StoredProfile, _ now: Date) -> PDSAuthError?

    package static let rules: [Rule] = [expiredWithNothingToRenewIt, jwtKeyUnusable]

    /// Opens the profile as a command would: a `secret-service` profile's secrets are read
    /// from the Secret Service (a locked keyring or a missing item is this check's problem).
    package static func check(_ name: String, in file: CredentialsFile, store: CredentialStore, now: Date) -> DiagnosisCheck {
        var check = DiagnosisCheck("profile", subject: Redaction.terminalSafe(name, limit: 64), summary: "usable")
        check.fact("current", file.current == name)
        check.fact("store", (file.secretStore(of: name) ?? .file).rawValue)
        let profile: StoredProfile
        do throws(PDSAuthError) {
            guard let found = try store.opened(name, in: file) else { return check }
            profile = found
        } catch {
            check.fail(error)
            return check
        }
        describe(profile, now: now, into: &check)
        for rule in rules {
            if let error = rule(name, profile, now) { check.fail(error) }
        }
        if check.status == .ok { check.summary = summary(profile, now: now) }
        return check
    }

    /// The facts: who, where, how it renews, until when. Secrets only as "yes/no".
    static func describe(_ profile: StoredProfile, now: Date, into check: inout DiagnosisCheck) {
        check.fact("grant", profile.grant.rawValue)
        check.fact("provider", profile.endpoints.flavor.rawValue)
        check.fact("endpoint", Redaction.url(profile.endpoints.base))
        check.fact("domain_id", profile.user?.domainID ?? profile.domainID, limit: 64)
        check.fact("client_id", profile.clientID, limit: 256)
        check.fact("user", profile.user?.displayName, limit: 100)
        check.fact("has_client_secret", profile.clientSecret != nil)
        check.fact("has_refresh_token", profile.refreshToken != nil)
        check.fact("ca_bundle", profile.caBundlePath, limit: 1000)
        check.fact("private_key", profile.jwt?.privateKeyPath, limit: 1000)
        if profile.publicClient == true { check.fact("public_client", true) }
        check.fact("dev_server", profile.devServer, limit: 1000)
        if let expiry = profile.effectiveExpiry {
            check.fact("expires_at", "\(ExpiryText.absolute(expiry)) (\(ExpiryText.relative(expiry, now: now)))")
        } else {
            check.fact("expires_at", "unknown")
        }
    }

    static func summary(_ profile: StoredProfile, now: Date) -> String {
        let renewal = profile.jwt != nil ? "renewed with a new JWT assertion" : profile.refreshToken != nil ? "renewed with its refresh token" : nil
        guard let expiry = profile.effectiveExpiry else {
            return "usable, expiry unknown; " + (renewal.map { "\($0) when the server refuses it" } ?? "sign in again when the server refuses it")
        }
        let when = ExpiryText.relative(expiry, now: now)
        // Expired with nothing to renew it is a problem (`expiredWithNothingToRenewIt`), not a summary.
        guard expiry > now, let renewal else {
            return expiry > now
                ? "usable, token valid \(when); no refresh token: sign in again after that" : "usable, token \(when); \(renewal ?? "") on next use"
        }
        return "usable, token valid \(when), then \(renewal)"
    }

    /// An expired access token with no refresh token and no JWT key: only a new sign-in helps.
    static let expiredWithNothingToRenewIt: Rule = { name, profile, now in
        guard let expiry = profile.effectiveExpiry, expiry <= now, profile.refreshToken == nil, profile.jwt == nil else { return nil }
        return PDSAuthError(
            .notRefreshable,
            "The access token of \"\(Redaction.terminalSafe(name, limit: 64))\" expired \(ExpiryText.relative(expiry, now: now).replacing("expired ", with: "")) and nothing can renew it without signing in",
            profile: name)
    }

    /// A JWT profile whose key file the next renewal could not use: read and judged by
    /// `RSAKeyFile`, as a renewal would (the key is never shown).
    static let jwtKeyUnusable: Rule = { name, profile, _ in
        guard let jwt = profile.jwt else { return nil }
        do throws(PDSAuthError) { _ = try RSAKeyFile(path: jwt.privateKeyPath) } catch {
            var error = error
            error.profile = name
            return error
        }
        return nil
    }
}

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
            exposed.update {
                $0.append("\(path) is open to other users (mode \(octal(mode)); pds-auth narrows it to \(octal(wanted)) when it next reads it)")
            }
        }
        check.fact("directory", directory, limit: 1000)
        check.fact("directory_is", describe(directory))
        check.fact("file", store.filePath, limit: 1000)
        check.fact("file_is", describe(store.filePath))
        do throws(PDSAuthError) {
            let file = try store.load()
            check.fact("accepted", true)
            check.fact("profiles", file.names.count)
            check.summary =
                file.names.isEmpty && !exists(store.filePath)
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
        let kinds: [mode_t: String] = [
            S_IFREG: "regular file", S_IFDIR: "directory", S_IFLNK: "symbolic link", S_IFIFO: "FIFO",
            S_IFSOCK: "socket", S_IFCHR: "character device", S_IFBLK: "block device",
        ]
        let kind = kinds[info.st_mode & S_IFMT] ?? "special file"
        return "\(kind), mode \(octal(info.st_mode & 0o7777)), owner \(owner(info.st_uid))"
    }

    /// `name (uid N)`, and whether that is the user running pds-auth.
    static func owner(_ uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name =
            getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0 && result != nil
            ? Redaction.terminalSafe(String(cString: entry.pw_name), limit: 64) : "uid \(uid)"
        let who = name == "uid \(uid)" ? name : "\(name) (uid \(uid))"
        return uid == geteuid() ? "\(who), you" : "\(who), not you"
    }
}
