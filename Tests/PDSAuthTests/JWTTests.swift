import Foundation
import JWTKit
import PDSAuthTestSupport
import PDSDevServer
import PDSShared
import Testing

@testable import PDSAuth

@Suite struct JWTTests {
    /// Runs openssl (Debian's) to make test keys of every kind.
    static func openssl(_ arguments: [String]) async throws {
        let result = try await ChildTool.run("/usr/bin/openssl", arguments)
        #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.output)")
    }

    static func rsaKey(_ temp: TemporaryDirectory, bits: Int = 2048, pkcs1: Bool = false) async throws -> String {
        let path = temp.file("rsa-\(bits)-\(pkcs1 ? "pkcs1" : "pkcs8").pem")
        if pkcs1 {
            try await openssl(["genrsa", "-traditional", "-out", path, String(bits)])
        } else {
            try await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)", "-out", path])
        }
        chmod(path, 0o600)
        return path
    }

    static func payload(_ token: String) throws -> [String: Any] {
        let part = token.split(separator: ".")[1]
        return try #require(try JSONSerialization.jsonObject(with: Base64URL.decode(part)!) as? [String: Any])
    }

    @Test func assertionClaimsAreExactlyWhatPDSExpects() async throws {
        let temp = TemporaryDirectory()
        let key = try RSAKeyFile(path: try await Self.rsaKey(temp))
        let settings = JWTSettings(
            privateKeyPath: key.path, subject: "user-1", subjectType: "user", autoCreate: false, lifetime: .seconds(300), clockSkew: .seconds(30))
        let now = Date(timeIntervalSince1970: 1_800_000_000.75)
        let token = try await JWTAssertion.sign(JWTAssertion.claims(settings: settings, clientID: "app-1", audience: "bj1", now: now), key: key.key)
        let header = try #require(try JSONSerialization.jsonObject(with: Base64URL.decode(token.split(separator: ".")[0])!) as? [String: Any])
        #expect(header["alg"] as? String == "RS256" && header["typ"] as? String == "JWT")
        let claims = try Self.payload(token)
        #expect(Set(claims.keys) == ["iss", "sub", "sub_type", "aud", "jti", "exp", "iat", "nbf"], "auto_create only when asked")
        #expect(claims["iss"] as? String == "app-1" && claims["sub"] as? String == "user-1")
        #expect(claims["sub_type"] as? String == "user" && claims["aud"] as? String == "bj1")
        #expect(claims["exp"] as? Int == 1_800_000_300 && claims["iat"] as? Int == 1_799_999_970 && claims["nbf"] as? Int == 1_799_999_970)
        let raw = String(decoding: Base64URL.decode(token.split(separator: ".")[1])!, as: UTF8.self)
        #expect(!raw.contains("."), "integer seconds only: no fractional time claims")
        let jti = try #require(claims["jti"] as? String)
        #expect(UUID(uuidString: jti) != nil && (16...128).contains(jti.count))
        // The signature verifies with the public half.
        let keys = JWTKeyCollection()
        await keys.add(rsa: key.key.publicKey, digestAlgorithm: .sha256)
        let verified = try await keys.verify(token, as: AssertionClaims.self)
        #expect(verified.sub == "user-1")
        // A second assertion gets a new jti.
        let again = try await JWTAssertion.sign(JWTAssertion.claims(settings: settings, clientID: "app-1", audience: "bj1", now: now), key: key.key)
        #expect(try Self.payload(again)["jti"] as? String != jti)
    }

    @Test func autoCreateAndServiceSubjects() async throws {
        let settings = JWTSettings(
            privateKeyPath: "/k", subject: "bj1", subjectType: "service", autoCreate: true, lifetime: .seconds(60), clockSkew: .zero)
        let claims = JWTAssertion.claims(settings: settings, clientID: "a", audience: "bj1", now: Date(timeIntervalSince1970: 100))
        #expect(claims.auto_create == true && claims.sub == "bj1" && claims.sub_type == "service" && claims.exp == 160 && claims.iat == 100)
    }

    @Test func acceptsPKCS1AndPKCS8() async throws {
        let temp = TemporaryDirectory()
        for pkcs1 in [true, false] {
            let path = try await Self.rsaKey(temp, pkcs1: pkcs1)
            let header = try String(contentsOfFile: path, encoding: .utf8)
            #expect(header.contains(pkcs1 ? "BEGIN RSA PRIVATE KEY" : "BEGIN PRIVATE KEY"))
            #expect(try RSAKeyFile(path: path).warnings.isEmpty)
        }
    }

    @Test func everyKeyProblemHasItsOwnError() async throws {
        let temp = TemporaryDirectory()
        let good = try await Self.rsaKey(temp)
        let small = try await Self.rsaKey(temp, bits: 1024)
        let encrypted = temp.file("encrypted.pem")
        try await Self.openssl([
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass", "pass:secret", "-out", encrypted,
        ])
        let publicKey = temp.file("public.pem")
        try await Self.openssl(["pkey", "-in", good, "-pubout", "-out", publicKey])
        let ec = temp.file("ec.pem")
        try await Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec])
        let ecTraditional = temp.file("ec-traditional.pem")
        try await Self.openssl(["ec", "-in", ec, "-out", ecTraditional])
        let garbage = temp.file("garbage.pem")
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: garbage))
        let cases: [(String, PDSAuthError.Code)] = [
            (temp.file("missing.pem"), .keyMissing), (small, .keyTooSmall), (encrypted, .keyEncrypted),
            (publicKey, .keyIsPublic), (ec, .keyNotRSA), (ecTraditional, .keyNotRSA), (garbage, .keyUnparsable), ("/dev/zero", .keyUnreadable),
        ]
        for (path, code) in cases {
            do throws(PDSAuthError) {
                _ = try RSAKeyFile(path: path)
                Issue.record("\(code): accepted")
            } catch {
                #expect(error.code == code, "\(path): \(error)")
                #expect(!error.description.contains("PRIVATE KEY"), "no key material in messages")
            }
        }
    }

    @Test func warnsWhenOthersCanReadTheKey() async throws {
        let temp = TemporaryDirectory()
        let path = try await Self.rsaKey(temp)
        chmod(path, 0o644)
        let warnings = try RSAKeyFile(path: path).warnings
        #expect(warnings.count == 1 && warnings[0].contains("chmod 600"))
    }
}

/// JWT-bearer against the dev server: the demo JWT app, the server's generated key.
@Suite struct JWTRoundTripTests {
    static func keyFile(_ server: DevServer, _ temp: TemporaryDirectory) async throws -> String {
        let path = temp.file("jwt-app.pem")
        try Data(try #require(try await server.generatedJWTPrivateKeyPEM).utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    static func signIn(
        _ server: DevServer, base: String, temp: TemporaryDirectory, subject: String, type: String,
        key: String? = nil
    ) async throws(PDSAuthError) -> LoginResult {
        let app = server.configuration.apps.first { $0.clientID == "pds-auth-jwt" }!
        let path: String
        if let key { path = key } else { path = try! await keyFile(server, temp) }
        let settings = JWTSettings(
            privateKeyPath: path, subject: subject, subjectType: type,
            autoCreate: false, lifetime: .seconds(300), clockSkew: .seconds(30))
        return try await JWTSignIn(
            endpoints: try ProviderEndpoints.resolve(endpoint: base, domainID: nil), domainID: server.configuration.domainID,
            clientID: app.clientID, settings: settings, profileName: "jwt",
            store: CredentialStore(directory: temp.file("home"))
        ).run()
    }

    @Test(arguments: [("pdsuser-0001", "user"), ("dev", "service")])
    func signsInAndReassertsWhenExpiring(subject: String, type: String) async throws {
        let temp = TemporaryDirectory()
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            let login = try await Self.signIn(server, base: base, temp: temp, subject: subject, type: type)
            #expect(login.profile.grant == .jwtBearer && login.profile.jwt?.subject == subject)
            #expect(login.profile.jwt?.privateKeyPath == temp.file("jwt-app.pem"), "the path is stored, not the key")
            let store = CredentialStore(directory: temp.file("home"))
            let raw = try String(contentsOfFile: store.filePath, encoding: .utf8)
            #expect(!raw.contains("PRIVATE KEY"))
            // Near expiry, `token` mints a new assertion: no refresh token needed.
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles["jwt"]?.expiresAt = Date() }
            let renewed = try await TokenProvider(store: store).validProfile("jwt", minValid: .seconds(300))
            #expect(renewed.accessToken != login.profile.accessToken)
            let stats = await server.statistics()
            #expect(stats.tokenSuccesses["urn:ietf:params:oauth:grant-type:jwt-bearer"] == 2)
        }
    }

    @Test func anotherKeysSignatureIsRejectedAndNothingSaved() async throws {
        let temp = TemporaryDirectory()
        let wrongKey = try await JWTTests.rsaKey(temp)
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            do throws(PDSAuthError) {
                _ = try await Self.signIn(server, base: base, temp: temp, subject: "pdsuser-0001", type: "user", key: wrongKey)
                Issue.record("a foreign signature must be rejected")
            } catch {
                #expect(error.code == .grantRejected && error.serverCode?.hasPrefix("InvalidParameter") == true, "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: temp.file("home/credentials.json")))
        }
    }
}
