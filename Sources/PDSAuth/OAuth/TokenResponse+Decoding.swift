#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension TokenResponse {
    /// Decodes a 2xx token-endpoint body, or explains why it is not a token response.
    public static func decode(_ body: Data, from host: String) throws(PDSAuthError) -> TokenResponse {
        guard let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else {
            throw invalid(host, "is not a JSON object")
        }
        guard let token = object["access_token"]?.text, !token.isEmpty else {
            throw invalid(host, "has no access_token")
        }
        return TokenResponse(
            accessToken: token,
            refreshToken: object["refresh_token"]?.text.flatMap { $0.isEmpty ? nil : $0 },
            tokenType: object["token_type"]?.text,
            expiresIn: object["expires_in"]?.integer,
            expireTime: object["expire_time"]?.text.flatMap(parseTimestamp),
            scope: object["scope"]?.text,
            userID: object["user_id"]?.text,
            userName: object["user_name"]?.text,
            nickName: object["nick_name"]?.text,
            domainID: object["domain_id"]?.text,
            defaultDriveID: object["default_drive_id"]?.text,
            role: object["role"]?.text)
    }

    private static func invalid(_ host: String, _ problem: String) -> PDSAuthError {
        PDSAuthError(.invalidResponse, code: "invalid_token_response", "The token response from \(host) \(problem)",
                     hint: "Check that --endpoint / --token-url point at the provider's token endpoint.")
    }

    /// `2019-09-01T06:57:48.813Z` or `2019-09-01T06:57:48Z` (PDS Token API `expire_time`).
    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}
