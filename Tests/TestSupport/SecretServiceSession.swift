import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real Secret Service for tests: a private D-Bus session bus (`dbus-daemon`, its socket in
/// a temp dir) with GNOME Keyring on it (`gnome-keyring-daemon --unlock`, Debian's
/// `gnome-keyring`), the keyring's files in a temp HOME — never the user's. pds-auth
/// processes get `environment` to talk to it; `secretTool` (Debian's `libsecret-tools`)
/// checks its items independently of pds-auth. Stopping the bus ends the keyring daemon too.
package final class SecretServiceSession: Sendable {
    package static let password = "keyring-password-for-tests"
    package let directory = TemporaryDirectory()
    private let bus: CLIProcess

    package var socket: String { directory.path + "/run/bus" }
    package var address: String { "unix:path=" + socket }

    /// What a process needs to reach this bus and keyring (and nothing of the user's).
    package var environment: [String: String] {
        let home = directory.path + "/home"
        return [
            "DBUS_SESSION_BUS_ADDRESS": address, "HOME": home, "XDG_DATA_HOME": home + "/.local/share",
            "XDG_CONFIG_HOME": home + "/.config", "XDG_CACHE_HOME": home + "/.cache", "XDG_RUNTIME_DIR": directory.path + "/run",
        ]
    }

    package static var available: Bool {
        ["/usr/bin/dbus-daemon", "/usr/bin/gnome-keyring-daemon", "/usr/bin/secret-tool", "/usr/bin/dbus-send", "/usr/bin/python3"]
            .allSatisfy(FileManager.default.isExecutableFile(atPath:))
            && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/gi")
    }

    private init(configuration: String?) throws {
        for path in ["/home/.local/share", "/home/.config", "/home/.cache", "/run"] {
            try FileManager.default.createDirectory(
                atPath: directory.path + path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        // Services the bus starts (the keyring) inherit this environment: the temp HOME, no display.
        let bus = CLIProcess(
            ["--nofork", "--nopidfile", "--address=unix:path=" + directory.path + "/run/bus"]
                + (configuration.map { ["--config-file=" + $0] } ?? ["--session"]),
            environment: ["PATH": "/usr/bin:/bin"].merging(Self.environment(directory)) { _, new in new },
            executable: "/usr/bin/dbus-daemon", minimal: false)
        self.bus = bus
    }

    private static func environment(_ directory: TemporaryDirectory) -> [String: String] {
        let home = directory.path + "/home"
        return [
            "HOME": home, "XDG_DATA_HOME": home + "/.local/share", "XDG_CONFIG_HOME": home + "/.config",
            "XDG_CACHE_HOME": home + "/.cache", "XDG_RUNTIME_DIR": directory.path + "/run",
        ]
    }

    /// Starts the bus and, with `keyring`, unlocks (creating it the first time) the login
    /// keyring with `password`: the default collection then holds what is stored.
    package static func start(keyring: Bool = true) async throws -> SecretServiceSession {
        let session = try SecretServiceSession(configuration: nil)
        try await session.launch()
        if keyring { try await session.startKeyring() }
        return session
    }

    /// A bus on which nobody provides the Secret Service or can start one: no service files.
    package static func startWithoutServices() async throws -> SecretServiceSession {
        let scratch = TemporaryDirectory()
        let configuration = scratch.file("bus.conf")
        try """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>session</type>
          <listen>unix:path=\(scratch.path)/unused</listen>
          <auth>EXTERNAL</auth>
          <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
        </busconfig>
        """.write(toFile: configuration, atomically: true, encoding: .utf8)
        let session = try SecretServiceSession(configuration: configuration)
        try await session.launch()
        _ = scratch
        return session
    }

    private func launch() async throws {
        try bus.start()
        guard try await waitUntil({ FileManager.default.fileExists(atPath: socket) || !bus.isRunning }),
            FileManager.default.fileExists(atPath: socket)
        else { throw CLIProcessError(message: "dbus-daemon did not start: \(bus.stderr)") }
    }

    /// `Tests/Shims/secret_service_peer.py`: unlocks a running keyring, or plays a hostile or
    /// silent Secret Service.
    package static let peerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Shims/secret_service_peer.py").path

    /// Unlocks the login keyring of the running daemon (locked by `lock()`), as logging in
    /// again would: no prompt is involved.
    package func unlock() async throws {
        let result = try await ChildTool.run("/usr/bin/python3", [Self.peerScript, "unlock", Self.password], environment: environment)
        guard result.status == 0 else { throw CLIProcessError(message: "unlocking the keyring: \(result.output)") }
    }

    /// Starts a peer (`hostile` or `silent`) that holds org.freedesktop.secrets on this bus.
    package func peer(_ mode: String) async throws -> CLIProcess {
        let peer = CLIProcess([Self.peerScript, mode], environment: environment, executable: "/usr/bin/python3")
        try peer.start()
        _ = try await peer.waitForStdout("ready")
        return peer
    }

    /// Starts the daemon with the login keyring unlocked by `password`, as a PAM login would
    /// (`--unlock` reads it on stdin); the first time this creates the keyring.
    private func startKeyring() async throws {
        let result = try await ChildTool.run(
            "/bin/sh", ["-c", "printf %s '\(Self.password)' | exec /usr/bin/gnome-keyring-daemon --unlock --components=secrets"],
            environment: environment.merging(["PATH": "/usr/bin:/bin"]) { _, new in new })
        guard result.status == 0 else { throw CLIProcessError(message: "gnome-keyring-daemon --unlock: \(result.output)") }
        // The first Secret Service call starts (activates) the service; make it now, so a
        // test's first pds-auth call does not pay for it.
        _ = try await secretTool(["search", "xdg:schema", "none"])
    }

    /// Locks the default collection, as a screen lock or "Lock keyring" would.
    package func lock() async throws {
        let result = try await ChildTool.run(
            "/usr/bin/dbus-send",
            [
                "--session", "--print-reply", "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/aliases/default",
            ],
            environment: environment)
        guard result.status == 0 else { throw CLIProcessError(message: "locking the keyring: \(result.output)") }
    }

    /// `secret-tool ARGS` against this keyring: status and output (stdout and stderr).
    package func secretTool(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildTool.run("/usr/bin/secret-tool", arguments, environment: environment)
    }

    /// Every item of pds-auth's schema, as `secret-tool search --all` prints them: one
    /// dictionary of attributes (and `secret`) per item.
    package func items() async throws -> [[String: String]] {
        let result = try await secretTool(["search", "--all", "--unlock", "xdg:schema", "pds-auth.Profile"])
        var items: [[String: String]] = []
        for line in result.output.split(separator: "\n") {
            if line.hasPrefix("[/") {
                items.append([:])
                continue
            }
            guard let equals = line.range(of: " = "), !items.isEmpty else { continue }
            let key = line[..<equals.lowerBound].replacingOccurrences(of: "attribute.", with: "")
            items[items.count - 1][key] = String(line[equals.upperBound...])
        }
        return items
    }

    /// Ends the bus; the keyring daemon, which lives on it, exits with it.
    package func stop() async {
        bus.kill()
        _ = try? await bus.wait(timeout: .seconds(10))
    }

    /// Runs `body` with a started session, stopped afterwards.
    package static func with<T: Sendable>(keyring: Bool = true, _ body: (SecretServiceSession) async throws -> T) async throws -> T {
        let session = try await start(keyring: keyring)
        do {
            let result = try await body(session)
            await session.stop()
            return result
        } catch {
            await session.stop()
            throw error
        }
    }
}
