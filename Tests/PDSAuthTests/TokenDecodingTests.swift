import Foundation
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

@Suite struct TokenDecodingTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pds-token-response-sample.json")

    /// The sample printed in the PDS Token API reference, byte for byte.
    @Test func decodesThePDSSample() throws {
        let response = try TokenResponse.decode(try Data(contentsOf: Self.fixture), from: "pds")
        #expect(response.accessToken.hasPrefix("eyJhbGciOiJSUzI1NiIs"))
        #expect(response.refreshToken == "060e78d36afb4879b51e4264e9541c16")
        #expect(response.expiresIn == 3600)
        #expect(response.tokenType == "Bearer")
        #expect(response.userID == "DING-xxxxx")
        #expect(response.userName == "pdsuser")
        #expect(response.nickName == "pdsuser")
        #expect(response.defaultDriveID == "1")
        #expect(response.role == "admin")
        #expect(response.domainID == "bj1")
        #expect(response.expireTime == Date(timeIntervalSince1970: 1_567_321_068.813))
        #expect(response.expiry(receivedAt: .now) == response.expireTime, "absolute expire_time wins over expires_in")
    }

    @Test func acceptsExpireTimeWithoutMilliseconds() throws {
        let response = try TokenResponse.decode(Data(#"{"access_token":"a","expire_time":"2019-09-01T06:57:48Z"}"#.utf8), from: "x")
        #expect(response.expireTime == Date(timeIntervalSince1970: 1_567_321_068))
    }

    @Test func lenientAboutTypesAndUnknownFields() throws {
        let body = #"{"access_token":"a","expires_in":"120","default_drive_id":42,"user_data":{"k":[1,2]},"brand_new":true,"refresh_token":""}"#
        let response = try TokenResponse.decode(Data(body.utf8), from: "x")
        #expect(response.expiresIn == 120)
        #expect(response.defaultDriveID == "42")
        #expect(response.refreshToken == nil, "an empty refresh token is no refresh token")
        let start = Date(timeIntervalSince1970: 1000)
        #expect(response.expiry(receivedAt: start) == Date(timeIntervalSince1970: 1120))
    }

    @Test func onlyAccessTokenIsRequired() throws {
        #expect(try TokenResponse.decode(Data(#"{"access_token":"only"}"#.utf8), from: "x").accessToken == "only")
        for bad in ["", "not json", "[]", #"{"token":"x"}"#, #"{"access_token":""}"#, #"{"access_token":5"#] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try TokenResponse.decode(Data(bad.utf8), from: "x") }
        }
    }

    @Test func pdsErrorBodiesBothCasings() {
        let lower = TokenEndpointError.from(HTTPClientResponse(status: 400, body: Data(#"{"code":"InvalidParameter.Code","message":"code expired","requestId":"R1"}"#.utf8)), host: "h", action: "x")
        #expect(lower.status == .tokenRejected && lower.code == "InvalidParameter.Code")
        #expect(lower.message.contains("code expired") && lower.context["request id"] == "R1" && lower.context["HTTP"] == "400")
        let upper = TokenEndpointError.from(HTTPClientResponse(status: 403, body: Data(#"{"Code":"Forbidden","Message":"no","RequestId":"R2"}"#.utf8)), host: "h", action: "x")
        #expect(upper.code == "Forbidden" && upper.context["request id"] == "R2")
    }

    @Test func rfc6749AndGatewayErrors() {
        let rfc = TokenEndpointError.from(HTTPClientResponse(status: 400, body: Data(#"{"error":"invalid_grant","error_description":"bad code"}"#.utf8)), host: "h", action: "x")
        #expect(rfc.code == "invalid_grant" && rfc.message.contains("bad code"))
        let gateway = TokenEndpointError.from(HTTPClientResponse(status: 503, headers: ["x-ca-error-code": "ServiceUnavailable", "x-ca-error-message": "busy", "x-ca-request-id": "G1", "retry-after": "7"]), host: "h", action: "x")
        #expect(gateway.status == .serverUnavailable && gateway.code == "ServiceUnavailable" && gateway.context["request id"] == "G1")
        #expect(gateway.hint?.contains("7") == true)
        let throttled = TokenEndpointError.from(HTTPClientResponse(status: 429, body: Data("<html>".utf8)), host: "h", action: "x")
        #expect(throttled.status == .serverUnavailable && throttled.code == "server_error")
    }

    @Test func errorTextFromServerIsSanitised() {
        let evil = TokenEndpointError.from(HTTPClientResponse(status: 400, body: Data(#"{"code":"X\u001b[31m","message":"line\nbreak\u0007"}"#.utf8)), host: "h", action: "x")
        #expect(!evil.description.contains("\u{1B}") && !evil.description.contains("\n") && !evil.description.contains("\u{07}"))
    }
}
