import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

/// Runs `pds-auth doctor` for the doctor tests, and holds every run to its promise: no secret
/// is ever printed. Each test's profiles carry the secrets below (access and refresh token,
/// client secret), its environment may carry the others (a proxy password, a client secret
/// in `PDS_CLIENT_SECRET`), and the whole output of every run — stdout and stderr, human and
/// JSON — is searched for each of them.
enum DoctorRun {
    static let accessToken = "doctor-access-token-Zq7Wm3Kp9Xa"
    static let refreshToken = "doctor-refresh-token-Hx4Vb8Nc2Ye"
    static let clientSecret = "doctor-client-secret-Rt5Ys1Ue6Lo"
    static let proxyPassword = "proxy-pass-Lk2Jh7Gf3"
    static let environmentSecret = "env-client-secret-Pw9Oi4Mn1"
    static let secrets = [accessToken, refreshToken, clientSecret, proxyPassword, environmentSecret]

    /// No port is tried unless the test is about the port: port 0 means "any free port".
    static let anyPort = ["--redirect-uri", "http://127.0.0.1:0/callback"]

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }

        /// The JSON report (`--json` runs).
        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)")
        }

        /// Every check named `name` in the JSON report.
        func checks(_ name: String) throws -> [[String: Any]] {
            (try json()["checks"] as? [[String: Any]] ?? []).filter { $0["check"] as? String == name }
        }
    }

    static func run(_ arguments: [String], _ environment: [String: String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result
    {
        let result = try await CLIProcess.run(["doctor"] + arguments, environment: environment)
        let run = Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
        expectNoSecret(in: run.output, sourceLocation: sourceLocation)
        return run
    }

    static func expectNoSecret(in output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!output.contains(secret), "doctor printed a secret (\(secret.prefix(12))…):\n\(output)", sourceLocation: sourceLocation)
        }
    }

    /// A profile on `endpoint` holding every kind of secret, valid for `expiresIn` seconds.
    static func profile(endpoint: String, expiresIn: TimeInterval = 3600, refreshToken: String? = DoctorRun.refreshToken) throws -> StoredProfile {
        var profile = try StoredProfile.fixture(
            endpoint: endpoint, accessToken: accessToken, refreshToken: refreshToken,
            expiresAt: Date(timeIntervalSinceNow: expiresIn))
        profile.clientSecret = clientSecret
        return profile
    }

    /// A credentials directory with `profiles` saved (the first one current).
    static func home(_ profiles: [(String, StoredProfile)]) async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        for (index, (name, profile)) in profiles.enumerated() { try await store.save(profile, as: name, makeCurrent: index == 0) }
        return home
    }
}
