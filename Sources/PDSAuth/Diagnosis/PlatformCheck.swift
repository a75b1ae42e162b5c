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
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
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

/// How `login` would reach a browser: the openers `BrowserLauncher` would try, in its
/// order, and which of them exist on PATH; whether this is WSL or an SSH session, and then
/// the exact port forward `login` would print (`SSHTunnelHint`). Nothing is started.
enum BrowserCheck {
    /// Stands for the address in the commands shown (it is a private file URL at sign-in).
    static let placeholder = "URL"

    static func opener(environment: [String: String]) -> DiagnosisCheck {
        let launcher = BrowserLauncher(environment: environment)
        let commands = launcher.candidates(for: placeholder)
        let found = commands.map { find($0.first ?? "", path: environment["PATH"]) }
        var check = DiagnosisCheck("browser", summary: "")
        check.fact("browser_variable", environment["BROWSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "not set", limit: 300)
        check.fact(
            "openers",
            JSONValue.array(
                zip(commands, found).map { command, path in
                    .string(
                        Redaction.terminalSafe(command.joined(separator: " "), limit: 300) + " — "
                            + (path.map { "found: \(Redaction.terminalSafe($0, limit: 300))" } ?? "not found on PATH"))
                }))
        check.fact(
            "display",
            ["DISPLAY", "WAYLAND_DISPLAY"].compactMap { name in
                environment[name].flatMap { $0.isEmpty ? nil : "\(name)=\(Redaction.terminalSafe($0, limit: 64))" }
            }.first ?? "none")
        if let first = zip(commands, found).first(where: { $0.1 != nil }) {
            check.summary = "would open the sign-in page with \(Redaction.terminalSafe(first.0.joined(separator: " "), limit: 300))"
        } else {
            check.note("no browser opener found: `pds-auth login` prints the address to open instead (or use --paste on a remote machine)")
        }
        return check
    }

    static func remote(environment: [String: String], redirect: RedirectTarget) -> DiagnosisCheck {
        let wsl = BrowserLauncher(environment: environment).isWSL
        let tunnel = SSHTunnelHint.command(environment: environment, redirect: redirect)
        var check = DiagnosisCheck("remote", summary: "")
        check.fact("wsl", wsl)
        check.fact("ssh", environment["SSH_CONNECTION"] != nil)
        check.fact("ssh_tunnel", tunnel)
        switch (tunnel, wsl) {
        case (let tunnel?, _): check.summary = "an SSH session: for a browser on your own machine, run there: \(tunnel)"
        case (nil, true): check.summary = "Windows Subsystem for Linux: the browser is opened with wslview when it is installed"
        case (nil, false): check.summary = environment["SSH_CONNECTION"] != nil ? "an SSH session (SSH_CONNECTION unreadable)" : "a local session"
        }
        return check
    }

    /// Where `command` would be found, as posix_spawnp looks (each PATH entry, or the name
    /// itself when it holds a slash); nil when nowhere.
    static func find(_ command: String, path: String?) -> String? {
        guard !command.isEmpty else { return nil }
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        for directory in (path ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// The CA bundle requests would trust and the proxies they would go through, as the
/// transport decides them (`TransportOptions.caBundleSource`, `ProxyChoice`): shown, and the
/// bundle checked to be a readable file of PEM certificates. Proxy addresses are shown
/// without their user or password.
enum TrustCheck {
    /// The variables that name a proxy for https (the order `ProxyChoice` reads them in).
    static let proxyVariables = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]

    static func run(environment: [String: String], caBundleFlag: String?) -> DiagnosisCheck {
        var check = DiagnosisCheck("tls_and_proxy", summary: "")
        let bundle = TransportOptions.caBundleSource(flag: caBundleFlag, environment: environment)
        check.fact("ca_bundle", bundle.map { "\($0.path) (from \($0.from))" } ?? "the system store (libcurl's default)", limit: 1000)
        if let bundle {
            switch certificates(in: bundle.path, from: bundle.from) {
            case .success(let count): check.fact("ca_certificates", count)
            case .failure(let error): check.fail(error)
            }
        }
        for name in proxyVariables + ["no_proxy", "NO_PROXY"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            check.fact(name, name.lowercased() == "no_proxy" ? Redaction.terminalSafe(value, limit: 300) : ProxyChoice.displayed(value))
        }
        for name in ["http_proxy", "HTTP_PROXY"] where environment[name].map({ !$0.isEmpty }) ?? false {
            check.fact(name, "ignored: plain http goes only to loopback, and never through a proxy")
        }
        let loopback = ProxyChoice.choose(for: URL(string: RedirectTarget.defaultURI)!, environment: environment)
        check.fact("loopback", loopback.shown)
        if check.status == .ok {
            let https = proxyVariables.lazy.compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : ProxyChoice.displayed($0) } }.first
            check.summary =
                "trusting \(bundle.map { "\($0.path) (\($0.from))" } ?? "the system store"); "
                + (https.map { "https through \($0) unless no_proxy names the host" } ?? "no proxy") + "; loopback always direct"
        }
        return check
    }

    /// How many PEM certificates the bundle at `path` holds; an error naming the setting
    /// when it cannot be read or holds none (libcurl would then refuse every https request
    /// with a vague TLS error).
    static func certificates(in path: String, from source: String) -> Result<Int, PDSAuthError> {
        let shown = Redaction.terminalSafe(path, limit: 300)
        switch BoundedFile.read(path, limit: 16 << 20) {
        case .failure(let error):
            return .failure(
                PDSAuthError(.caBundleUnusable, "The CA bundle named by \(source) cannot be used: \(error.message)", details: ["path": shown]))
        case .success(let data):
            let count = String(decoding: data, as: UTF8.self).components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1
            guard count > 0 else {
                return .failure(
                    PDSAuthError(.caBundleUnusable, "The CA bundle named by \(source) holds no PEM certificate", details: ["path": shown]))
            }
            return .success(count)
        }
    }
}
