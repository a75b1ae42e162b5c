import Foundation
import PDSAuthTestSupport

/// `Tests/Shims/kill_at.c`, built once per test run: an LD_PRELOAD library that kills the
/// process with SIGKILL at a chosen step of a credentials save (see the file for the
/// steps), so "killed exactly here" is deterministic.
enum KillShim {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Shims/kill_at.c").path

    private static let built = Task { () -> Result<String, CLIProcessError> in
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pds-auth-kill-at-\(getpid()).so").path
        let result: (status: Int32, output: String) =
            (try? await ChildTool.run("/usr/bin/cc", ["-shared", "-fPIC", "-O2", "-o", output, source, "-ldl"]))
            ?? (1, "cc did not run")
        return result.status == 0 ? .success(output) : .failure(CLIProcessError(message: "cannot build the kill shim: \(result.output)"))
    }

    static func library() async throws -> String { try await built.value.get() }

    /// The environment that kills at the `occurrence`th `step`.
    static func environment(_ step: String, _ occurrence: Int) async throws -> [String: String] {
        ["LD_PRELOAD": try await library(), "PDS_TEST_KILL_AT": "\(step):\(occurrence)"]
    }

    /// The environment that makes the `occurrence`th `step` fail with EIO instead.
    static func failing(_ step: String, _ occurrence: Int) async throws -> [String: String] {
        ["LD_PRELOAD": try await library(), "PDS_TEST_FAIL_AT": "\(step):\(occurrence)"]
    }
}
