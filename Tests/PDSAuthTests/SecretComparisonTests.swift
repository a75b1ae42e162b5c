import Foundation
import PDSShared
import Testing

@testable import PDSAuth

/// The secrets an attacker may probe by timing — the `state` on a redirect, the start page's
/// key — are compared only with `ConstantTime.equals`, whose duration depends on neither the
/// contents nor the lengths (RFC 6749 §10.10, §10.12). Behaviour alone cannot tell a
/// constant-time comparison from `==`, so this reads the sign-in's decider and holds it to
/// that rule, next to a check of the function itself.
@Suite struct SecretComparisonTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PDSAuth/Login/LoginFlow.swift").path

    @Test func loginFlowComparesStateAndKeyInConstantTimeOnly() throws {
        let text = try String(contentsOfFile: Self.source, encoding: .utf8)
        let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("///") && !$0.contains("// ") }
        for secret in ["state", "startKey"] {
            let plain = try Regex("(\\b\(secret)\\s*[!=]=)|([!=]=\\s*\(secret)\\b)")
            #expect(!code.contains { $0.contains(plain) }, "\(secret) compared with == or != in LoginFlow.swift")
            let constant = try Regex("ConstantTime\\.equals\\([^)]*\\b\(secret)\\b")
            #expect(code.contains { $0.contains(constant) }, "\(secret) is compared with ConstantTime.equals")
        }
    }

    @Test func theComparisonHashesBothSidesAndComparesEveryByte() {
        #expect(ConstantTime.equals("state-value", "state-value"))
        for other in ["state-valuf", "tate-value", "", "state-value-longer", "STATE-VALUE"] {
            #expect(!ConstantTime.equals("state-value", other), "\(other)")
        }
        // Two strings whose first 32 bytes agree differ only past a prefix a naive loop over a
        // fixed-size buffer would stop at.
        let long = String(repeating: "a", count: 64)
        #expect(!ConstantTime.equals(long, long.dropLast() + "b"))
    }
}
