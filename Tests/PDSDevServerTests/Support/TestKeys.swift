@testable import PDSDevServer

/// RSA keys are slow to generate in a debug build, so every test server shares these.
enum TestKeys {
    /// The server's signing key and the generated JWT-app key.
    static let server: DevServerKeys = make { try DevServerKeys.generate(needsJWTAppKey: true) }
    /// A key no app registered: what an attacker signs with.
    static let stranger: RSAPrivateKey = make { try DevServerKeys.newKey() }

    private static func make<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            fatalError("Test key generation failed: \(error)")
        }
    }
}
