import Foundation
import PDSAuth

/// Runs a real `BrowserSignIn` (listener on 127.0.0.1, an ephemeral port) and hands the test
/// the start page URL, so the test can play the browser.
public struct LoginHarness: Sendable {
    public var configuration: LoginConfiguration

    public init(endpoint: String, store: CredentialStore, clientID: String = "test-client", clientSecret: String? = "s3cr+t&=",
         usePKCE: Bool = true, totalTimeout: Duration = .seconds(5), waitTimeout: Duration = .seconds(30)) throws {
        configuration = LoginConfiguration(
            endpoints: try ProviderEndpoints.resolve(endpoint: endpoint, domainID: nil), domainID: "dev", clientID: clientID,
            clientSecret: clientSecret, redirects: [try RedirectTarget(parsing: "http://127.0.0.1:0/callback")], scope: nil,
            loginType: "default", usePKCE: usePKCE, profileName: "default", store: store,
            transport: TransportOptions(connectTimeout: .seconds(2), totalTimeout: totalTimeout), timeout: waitTimeout)
    }

    /// Starts the flow, runs `browser` with the start page URL, returns the flow's result.
    /// `pastes` stands for the lines a user types at the paste-back prompt.
    public func run(pastes: AsyncStream<String>? = nil,
                    _ browser: @escaping @Sendable (String) async throws -> Void) async throws -> Result<LoginResult, PDSAuthError> {
        let (events, continuation) = AsyncStream.makeStream(of: String.self)
        let flow = Task { () throws(PDSAuthError) -> LoginResult in
            defer { continuation.finish() }
            return try await BrowserSignIn(configuration: configuration).run(pastes: pastes, onEvent: { event in
                if case let .listening(startURL, _, _) = event { continuation.yield(startURL) }
            })
        }
        var startURL: String?
        for await url in events { startURL = url; break }
        if let startURL { try await browser(startURL) }
        return await flow.result.mapError { ($0 as? PDSAuthError) ?? PDSAuthError(.internal, "\($0)") }
    }

    /// The query of the authorize link on the start page.
    public static func authorizeQuery(startPage: String) -> [String: String] {
        let link = ScriptedBrowser.link(id: "login", in: startPage) ?? ""
        let query = link.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return Dictionary(FormEncoding.decode(query), uniquingKeysWith: { first, _ in first })
    }
}
