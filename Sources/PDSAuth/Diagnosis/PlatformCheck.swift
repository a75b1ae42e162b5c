import FoundationEssentials
import Glibc

/// The machine `doctor` runs on, and the settings pds-auth reads from its environment.
enum PlatformCheck {
    /// pds-auth's version, the kernel (uname) and the distribution (`/etc/os-release`).
    static func platform() -> DiagnosisCheck {
        let kernel = kernelDescription()
        let distribution = distributionName()
        var check = DiagnosisCheck("platform", summary: "pds-auth \(PDSAuthVersion.current) on \(kernel)" + (distribution.map { ", \($0)" } ?? ""))
        check.fact("version", PDSAuthVersion.current)
        check.fact("kernel", kernel)
        check.fact("distribution", distribution)
        return check
    }

    static func kernelDescription() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown kernel" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return Redaction.terminalSafe("\(field(names.sysname)) \(field(names.release)) \(field(names.machine))", limit: 200)
    }

    /// `PRETTY_NAME` of os-release(5), else `NAME`.
    static func distributionName() -> String? {
        guard case .success(let data) = BoundedFile.read("/etc/os-release", limit: 64 << 10) else { return nil }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = line[line.index(after: equals)...].trimmed()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first { value = String(value.dropFirst().dropLast()) }
            values[String(line[..<equals])] = value
        }
        return (values["PRETTY_NAME"] ?? values["NAME"]).map { Redaction.terminalSafe($0, limit: 100) }
    }

    /// The PDS_* variables: shown when they are plain settings, only "set" for the secret,
    /// and a problem when pds-auth would refuse one.
    static func environment(_ environment: [String: String]) -> DiagnosisCheck {
        var check = DiagnosisCheck("environment", summary: "pds-auth's variables are usable")
        for name in ["PDS_AUTH_HOME", "PDS_AUTH_PROFILE", "PDS_ENDPOINT", "PDS_DOMAIN_ID", "PDS_CLIENT_ID", "PDS_AUTH_HTTP_TIMEOUT"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            // A URL is shown as requests show it: no user, password or query.
            check.fact(name.lowercased(), name == "PDS_ENDPOINT" ? URL(string: value).map(Redaction.url) ?? value : value, limit: 200)
        }
        // Never its value: the variable is there to keep the secret off command lines.
        check.fact("pds_client_secret", environment["PDS_CLIENT_SECRET"].map { $0.isEmpty ? "set, empty" : "set (not shown)" } ?? "not set")
        if let profile = environment["PDS_AUTH_PROFILE"], !profile.isEmpty, !ProfileChoice.isValidName(profile) {
            check.fail(PDSAuthError(.invalidSetting, "PDS_AUTH_PROFILE is not a profile name (1–64 letters, digits, '-', '_', '.' or '@')"))
        }
        do throws(PDSAuthError) { _ = try TransportOptions.fromEnvironment(environment) } catch { check.fail(error) }
        return check
    }
}

/// Reads a small file that someone else may have put anywhere (a CA bundle, os-release)
/// without hanging on a FIFO or reading a device forever: opened non-blocking, and only a
/// regular file of at most `limit` bytes is read.
enum BoundedFile {
    static func read(_ path: String, limit: Int) -> Result<Data, PDSAuthError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(failure(path, String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failure(failure(path, "not a regular file")) }
        guard Int(info.st_size) <= limit else { return .failure(failure(path, "larger than \(limit >> 10) KiB")) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        return .success(Data(bytes[..<min(total, limit)]))
    }

    private static func failure(_ path: String, _ reason: String) -> PDSAuthError {
        PDSAuthError(.invalidSetting, "\(Redaction.terminalSafe(path, limit: 200)) cannot be read: \(reason)")
    }
}
