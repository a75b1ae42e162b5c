import Foundation
import PDSAuth

/// Runs a real `BrowserSignIn` (listener on 127.0.0.1, an ephemeral port) and hands the test
/// the start page URL, so the test can play the browser.
package struct LoginHarness: Sendable {
    package var configuration: LoginConfiguration

    package init(
        endpoint: String, store: CredentialStore, clientID: String = "test-client", clientSecret: String? = "s3cr+t&=",
        usePKCE: Bool = true, totalTimeout: Duration = .seconds(5), waitTimeout: Duration = .seconds(30)
    ) throws {
        configuration = LoginConfiguration(
            endpoints: try ProviderEndpoints.resolve(endpoint: endpoint, domainID: nil), domainID: "dev", clientID: clientID,
            clientSecret: clientSecret, redirects: [try RedirectTarget(parsing: "http://127.0.0.1:0/callback")], scope: nil,
            loginType: "default", usePKCE: usePKCE, profileName: "default", store: store,
            transport: TransportOptions(connectTimeout: .seconds(2), totalTimeout: totalTimeout), timeout: waitTimeout)
    }

    /// Starts the flow, runs `browser` with the start page URL, returns the flow's result.
    /// `pastes` stands for the lines a user types at the paste-back prompt.
    package func run(
        pastes: AsyncStream<String>? = nil,
        _ browser: @escaping @Sendable (String) async throws -> Void
    ) async throws -> Result<LoginResult, PDSAuthError> {
        do {
            return .success(
                try await BrowserSignIn(configuration: configuration).withListener(pastes: pastes) { session in
                    // The flow answers the browser in a task of its own meanwhile; a browser that
                    // fails ends the sign-in, and its error is the test's.
                    try await browser(session.startURL)
                    return try await session.result
                })
        } catch let error as PDSAuthError {
            return .failure(error)
        }
    }

    /// The query of the authorize link on the start page.
    package static func authorizeQuery(startPage: String) -> [String: String] {
        let link = ScriptedBrowser.link(id: "login", in: startPage) ?? ""
        let query = link.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return Dictionary(FormEncoding.decode(query), uniquingKeysWith: { first, _ in first })
    }
}
