import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// `pds-auth jwt` as a process against the dev server's demo JWT app.
@Suite struct JWTCLITests {
    @Test func jwtSignInThenTokenReasserts() async throws {
        let home = TemporaryDirectory()
        try await DevServer.withRunning(DevServerConfiguration.demo(redirectURIs: [], port: 0)) { server, base in
            let key = home.file("app.pem")
            try Data(try #require(try await server.generatedJWTPrivateKeyPEM).utf8).write(to: URL(fileURLWithPath: key))
            chmod(key, 0o644)
            let environment = ["PDS_AUTH_HOME": home.file("creds")]
            let result = try await InProcessCLI.run(
                [
                    "jwt", "--endpoint", base, "--domain-id", "dev", "--client-id", "pds-auth-jwt",
                    "--private-key", key, "--subject", "pdsuser-0001",
                ], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("warning: the private key file") && result.stderr.contains("chmod 600"))
            #expect(result.stderr.contains("✓ Signed in as pdsuser"))
            let store = CredentialStore(directory: home.file("creds"))
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in file.profiles["default"]?.expiresAt = Date() }
            let token = try await InProcessCLI.run(["token"], environment: environment)
            #expect(token.status == 0, "\(token.stderr)")
            #expect(token.stdout == (try store.profile("default")?.accessToken ?? "") + "\n")
            let status = try await InProcessCLI.run(["status", "--claims"], environment: environment)
            #expect(status.stdout.contains("jwt_bearer") && status.stdout.contains("refreshable  yes"))
            #expect(await server.statistics().tokenSuccesses["urn:ietf:params:oauth:grant-type:jwt-bearer"] == 2)
            // The service account has no drive: nothing is printed for it (it used to say "drive )").
            let service = try await InProcessCLI.run(
                [
                    "jwt", "--endpoint", base, "--domain-id", "dev", "--client-id", "pds-auth-jwt",
                    "--private-key", key, "--subject-type", "service", "--profile", "svc",
                ], environment: environment)
            #expect(service.status == 0 && service.stderr.contains("✓ Signed in as service (user_id dev, domain dev)."), "\(service.stderr)")
        }
    }

    @Test func aDomainThatContradictsTheEndpointIsAConfigurationError() async throws {
        let result = try await InProcessCLI.run(
            [
                "jwt", "--client-id", "c", "--endpoint", "https://bj2.api.aliyunpds.com", "--domain-id", "bj1",
                "--private-key", "/nonexistent", "--subject", "u",
            ], environment: ["PDS_AUTH_HOME": TemporaryDirectory().path])
        #expect(result.status == 3 && result.stderr.contains("contradicts the endpoint"), "\(result.stderr)")
    }

    @Test func missingKeyIsAConfigurationError() async throws {
        let home = TemporaryDirectory()
        let result = try await InProcessCLI.run(
            [
                "jwt", "--endpoint", "http://127.0.0.1:9", "--domain-id", "dev", "--client-id", "a",
                "--private-key", home.file("nope.pem"), "--subject", "u",
            ], environment: ["PDS_AUTH_HOME": home.path])
        #expect(result.status == 3 && result.stderr.contains("There is no private key file"), "\(result.stderr)")
    }
}
