import Hummingbird
import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Client authentication at the token endpoint (RFC 6749 §2.3.1): the id and secret come
/// either in the form body (`client_id`, `client_secret`, as PDS documents) or in HTTP
/// Basic, never both (RFC 6749 §2.3: "MUST NOT use more than one authentication method in
/// each request").
struct ClientAuthenticator: Sendable {
    enum SecretPolicy {
        /// Apps with a secret must send it (authorization code and refresh grants).
        case required
        /// The grant authenticates the app itself (a JWT-bearer assertion); a secret, if
        /// sent, must still be right.
        case optional
    }

    let apps: [String: DevApp]

    func authenticate(_ fields: FormFields, authorization: String?, policy: SecretPolicy) throws(PDSError) -> DevApp {
        if let repeated = fields.firstRepeated(among: ["client_id", "client_secret"]) { throw .repeated(repeated) }
        let basic = try BasicCredentials(header: authorization)
        if basic != nil, fields["client_secret"] != nil {
            throw PDSError(.invalid, "Send the client secret in the body or with HTTP Basic, not both (RFC 6749 §2.3)")
        }
        if let basic, let bodyID = fields["client_id"], bodyID != basic.clientID {
            throw PDSError(.invalid, "client_id in the body differs from the one in the Authorization header")
        }
        let challenge = basic == nil ? [] : [("WWW-Authenticate", #"Basic realm="pds-dev-server""#)]
        guard let clientID = basic?.clientID ?? fields["client_id"] else { throw .missing("client_id") }
        guard let app = apps[clientID] else {
            throw PDSError(.clientID, "No app with the client id \(clientID) is registered", headers: challenge)
        }
        let presented = basic?.secret ?? fields["client_secret"]
        try check(presented, for: app, policy: policy, challenge: challenge)
        return app
    }

    private func check(_ presented: String?, for app: DevApp, policy: SecretPolicy, challenge: [(String, String)]) throws(PDSError) {
        switch (app.clientSecret, presented) {
        case (nil, nil):
            return
        case (nil, .some):
            throw PDSError(.clientSecret, "The app \(app.clientID) has no client secret; send none", headers: challenge)
        case (.some, nil):
            if policy == .optional { return }
            throw PDSError(.clientSecret, "The app \(app.clientID) must authenticate with its client secret", headers: challenge)
        case (.some(let expected), .some(let actual)):
            guard ConstantTime.equals(expected, actual) else {
                throw PDSError(.clientSecret, "The client secret is wrong", headers: challenge)
            }
        }
    }
}

/// HTTP Basic client credentials (RFC 7617 §2) as RFC 6749 §2.3.1 uses them: the id and
/// secret are each form-urlencoded before being joined with `:` and base64-encoded.
struct BasicCredentials: Sendable, Equatable {
    var clientID: String
    /// Nil when empty: a public client may send `client_id:` with no password.
    var secret: String?

    /// Nil when there is no `Authorization` header or it uses another scheme.
    init?(header: String?) throws(PDSError) {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        // RFC 7617 §2: the scheme name is case-insensitive.
        guard parts.count == 2, parts[0].lowercased() == "basic" else { return nil }
        guard let data = Data(base64Encoded: String(parts[1].trimmingWhitespaces())),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":"),
            let id = PercentDecoding.decode(decoded[..<colon]),
            let secret = PercentDecoding.decode(decoded[decoded.index(after: colon)...]),
            !id.isEmpty
        else {
            throw PDSError(.invalid, "The Authorization header is not valid HTTP Basic client credentials (RFC 6749 §2.3.1)")
        }
        self.clientID = id
        self.secret = secret.isEmpty ? nil : secret
    }
}
