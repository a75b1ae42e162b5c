import Foundation
import HTTPTypes
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

@Suite struct TokenDecodingTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pds-token-response-sample.json")
    static let now = Date(timeIntervalSince1970: 1_567_317_000)

    static func decode(_ body: String, at receivedAt: Date = now) throws(PDSAuthError) -> TokenResponse {
        try TokenResponse.decode(Data(body.utf8), from: "h", receivedAt: receivedAt)
    }

    /// The sample printed in the PDS Token API reference, byte for byte.
    @Test func decodesThePDSSample() throws {
        let response = try TokenResponse.decode(try Data(contentsOf: Self.fixture), from: "pds", receivedAt: Self.now)
        #expect(response.accessToken.hasPrefix("eyJhbGciOiJSUzI1NiIs"))
        #expect(response.refreshToken == "060e78d36afb4879b51e4264e9541c16")
        #expect(response.tokenType == "Bearer")
        #expect(response.userID == "DING-xxxxx" && response.userName == "pdsuser" && response.nickName == "pdsuser")
        #expect(response.defaultDriveID == "1" && response.role == "admin" && response.domainID == "bj1")
        #expect(response.expiresAt == Self.now.addingTimeInterval(3600), "expires_in, counted from the request, wins: no clock skew")
    }

    @Test func expireTimeAloneIsUsedWithOrWithoutMilliseconds() throws {
        let ms = try Self.decode(#"{"access_token":"a","expire_time":"2019-09-01T06:57:48.813Z"}"#)
        #expect(ms.expiresAt == Date(timeIntervalSince1970: 1_567_321_068.813))
        let whole = try Self.decode(#"{"access_token":"a","expire_time":"2019-09-01T06:57:48Z"}"#)
        #expect(whole.expiresAt == Date(timeIntervalSince1970: 1_567_321_068))
    }

    @Test func lenientAboutTypesAndUnknownFields() throws {
        let body = #"{"access_token":"a","expires_in":"120","default_drive_id":42,"user_data":{"k":[1,2]},"brand_new":true,"refresh_token":""}"#
        let response = try Self.decode(body)
        #expect(response.expiresAt == Self.now.addingTimeInterval(120))
        #expect(response.defaultDriveID == "42")
        #expect(response.refreshToken == nil, "an empty refresh token is no refresh token")
    }

    @Test func onlyAccessTokenIsRequired() throws {
        #expect(try Self.decode(#"{"access_token":"only"}"#).accessToken == "only")
        for bad in ["", "not json", "[]", #"{"token":"x"}"#, #"{"access_token":""}"#, #"{"access_token":5"#] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try Self.decode(bad) }
        }
    }

    /// A hostile or broken endpoint cannot make pds-auth save something it cannot read back,
    /// print a broken header line, or write escape sequences to a terminal.
    @Test(arguments: [
        #"{"access_token":"tok-expv-0123456789","refresh_token":"r","expires_in":-999999999999999}"#,
        #"{"access_token":"a","expires_in":0}"#,
        #"{"access_token":"a","expires_in":-1}"#,
        #"{"access_token":"a","expires_in":315360001}"#,
        #"{"access_token":"a","expires_in":1e30}"#,
        #"{"access_token":"a","expires_in":"soon"}"#,
        #"{"access_token":"a","expires_in":true}"#,
        #"{"access_token":"a","expire_time":"2001-01-01T00:00:00Z"}"#,
        #"{"access_token":"a","expire_time":"9999-12-31T23:59:59Z"}"#,
        #"{"access_token":"line\nbreak"}"#,
        #"{"access_token":"esc\u001b]8;;x"}"#,
        #"{"access_token":"caf\u00e9"}"#,
        #"{"access_token":"a","refresh_token":"r\r\n"}"#,
        #"{"access_token":"a","token_type":"Bearer x"}"#,
        #"{"access_token":"a","user_name":"\#(String(repeating: "n", count: 1025))"}"#,
        #"{"access_token":"\#(String(repeating: "t", count: 16385))"}"#,
    ])
    func absurdValuesAreAnInvalidResponse(_ body: String) {
        #expect { try Self.decode(body) } throws: { ($0 as? PDSAuthError)?.code == .invalidResponse }
    }

    /// An `expire_time` that is not a date this reader knows (PDS's own field; RFC 6749 has
    /// none) is ignored like any unknown value: it is never stored.
    @Test func anUnreadableExpireTimeIsIgnored() throws {
        #expect(try Self.decode(#"{"access_token":"a","expire_time":"-4712-01-01T12:00:00Z"}"#).expiresAt == nil)
    }

    @Test func tokensWithinVSCHARAreKept() throws {
        let response = try Self.decode(#"{"access_token":"a b~!","refresh_token":"r.1/2+3=","expires_in":315360000}"#)
        #expect(response.accessToken == "a b~!" && response.refreshToken == "r.1/2+3=")
    }

    static func error(
        _ status: Int, _ body: String = "", headers: [(String, String)] = [],
        grant: TokenGrant? = .authorizationCode(code: "c", redirectURI: "r", codeVerifier: nil)
    ) -> PDSAuthError {
        TokenEndpointError.from(
            HTTPClientResponse(status: status, headerFields: HTTPFields(lines: headers), body: Data(body.utf8)),
            url: URL(string: "https://h.example/v2/oauth/token")!, grant: grant)
    }

    @Test func pdsErrorBodiesBothCasings() {
        let lower = Self.error(400, #"{"code":"InvalidParameter.Code","message":"code expired","requestId":"R1"}"#)
        #expect(lower.code == .grantRejected && lower.serverCode == "InvalidParameter.Code")
        #expect(lower.message.contains("code expired") && lower.requestID == "R1" && lower.httpStatus == 400)
        let upper = Self.error(403, #"{"Code":"Forbidden","Message":"no","RequestId":"R2"}"#)
        #expect(upper.serverCode == "Forbidden" && upper.requestID == "R2")
    }

    @Test func whoIsRejectedDecidesTheCode() {
        #expect(Self.error(400, #"{"error":"invalid_grant"}"#, grant: .refreshToken("r")).code == .sessionExpired)
        #expect(Self.error(400, #"{"code":"InvalidParameter.RefreshToken"}"#, grant: .refreshToken("r")).code == .sessionExpired)
        #expect(Self.error(401, #"{"error":"invalid_client"}"#).code == .clientRejected)
        #expect(Self.error(400, #"{"code":"InvalidParameter.ClientSecret"}"#, grant: .refreshToken("r")).code == .clientRejected)
        #expect(Self.error(400, #"{"error":"invalid_grant"}"#).code == .grantRejected)
    }

    /// A redirect or a missing endpoint is a wrong URL, not a refused grant: no "sign in again".
    @Test(arguments: [301, 302, 307, 308, 404, 405, 410, 415])
    func misconfiguredEndpoints(_ status: Int) {
        let error = Self.error(status, "<html>", headers: [("Location", "https://elsewhere.example/login")])
        #expect(error.code == .endpointMisconfigured, "\(status)")
        #expect(error.message.contains("is not a token endpoint"))
    }

    @Test func rfc6749AndGatewayErrors() {
        let rfc = Self.error(400, #"{"error":"invalid_grant","error_description":"bad code"}"#)
        #expect(rfc.serverCode == "invalid_grant" && rfc.message.contains("bad code"))
        let gateway = Self.error(
            503,
            headers: [
                ("x-ca-error-code", "ServiceUnavailable"), ("x-ca-error-message", "busy"),
                ("x-ca-request-id", "G1"), ("Retry-After", "7"),
            ])
        #expect(gateway.code == .serverUnavailable && gateway.serverCode == "ServiceUnavailable")
        #expect(gateway.requestID == "G1" && gateway.retryAfter == .seconds(7))
        #expect(Self.error(429, "<html>").code == .serverUnavailable)
    }

    @Test func errorTextFromServerIsSanitised() {
        let evil = Self.error(400, #"{"code":"X\u001b[31m","message":"line\nbreak\u0007 \u202egnp.exe"}"#)
        for forbidden in ["\u{1B}", "\n", "\u{07}", "\u{202E}"] { #expect(!evil.description.contains(forbidden)) }
    }

    @Test func terminalTextLosesControlsAndBidiButKeepsText() {
        #expect(Redaction.terminalSafe("a\u{1B}[31mb\u{9B}c\u{202E}d\u{200B}e\u{2028}f\u{7F}") == "a[31mbcdef")
        #expect(Redaction.terminalSafe("日本語 ünïcödé 😀") == "日本語 ünïcödé 😀")
        #expect(Redaction.terminalSafe(String(repeating: "x", count: 10), limit: 4) == "xxxx…")
    }
}

/// The one user model: every place that names the user in one line (the success line and
/// page, `import`, `doctor`) calls them the same, and empty values (a service account's) are
/// none.
@Suite struct StoredUserTests {
    @Test func displayNameIsTheUserNameThenTheNicknameThenTheID() {
        func user(_ name: String?, _ nick: String?, _ id: String?) -> StoredUser {
            StoredUser(userID: id, userName: name, nickName: nick, domainID: nil, defaultDriveID: nil, role: nil)
        }
        #expect(user("alice", "Al", "u1").displayName == "alice")
        #expect(user(nil, "Al", "u1").displayName == "Al" && user("", "Al", "u1").displayName == "Al")
        #expect(user("", "", "u1").displayName == "u1" && user("", "", "u1").name == nil)
        #expect(user(nil, nil, "").displayName == nil && user(nil, nil, nil).displayName == nil)
    }

    @Test func userGetAnswersAreReadLeniently() throws {
        let body = Data(#"{"user_id": 42, "user_name": "alice", "status": "enabled", "default_drive_id": "", "extra": [1]}"#.utf8)
        let user = try #require(StoredUser(userGetAnswer: body))
        #expect(user.userID == "42" && user.displayName == "alice" && user.status == "enabled" && user.defaultDriveID == "")
        #expect(StoredUser(userGetAnswer: Data("[1]".utf8)) == nil)
        let long = try #require(StoredUser(userGetAnswer: Data(("{\"user_name\": \"" + String(repeating: "a", count: 5000) + "\"}").utf8)))
        #expect(long.userName?.utf8.count == 1024, "each value cut at 1 KiB")
    }
}
