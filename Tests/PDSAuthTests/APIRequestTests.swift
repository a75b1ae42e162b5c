import HTTPTypes
import Testing

@testable import PDSAuth

/// `APIRequest` and what `api -X`/`-H` type into it: swift-http-types would quietly turn a
/// control character into a space (`HTTPField(name:value:)` legalizes), so such a value must
/// be refused before it becomes a field, and pds-auth's own fields cannot be replaced.
@Suite struct APIRequestTests {
    @Test func methodsAreTokensUpperCased() throws {
        #expect(try APIRequest.method("get") == .get)
        #expect(try APIRequest.method("PROPFIND").rawValue == "PROPFIND")
        for bad in ["GET POST", "", "G\u{7}T", "po\u{17F}t", String(repeating: "A", count: 33)] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try APIRequest.method(bad) }
        }
    }

    @Test func typedFieldsKeepTheirTextOrAreRefused() throws {
        let field = try APIRequest.field("X-Trace :  abc def ")
        #expect(field.name.rawName == "X-Trace" && field.value == "abc def")
        for bad in ["no colon", "Bad Name: x", "X-Bell: a\u{7}b", "X-Line: a\rb", "X-Wide: caf\u{E9}", "authorization: Bearer x", "Host: evil"] {
            #expect(throws: PDSAuthError.self, "\(bad)") { try APIRequest.field(bad) }
        }
    }

    @Test func theRequestRefusesFieldsThatArePDSAuths() throws {
        #expect(throws: PDSAuthError.self) { try APIRequest(path: "/v2/user/get", headerFields: [.authorization: "Bearer x"]) }
        #expect(throws: PDSAuthError.self) { try APIRequest(path: "/v2/user/get", headerFields: [HTTPField.Name("Host")!: "evil"]) }
        let request = try APIRequest(method: .get, path: "v2/user/get", headerFields: [HTTPField.Name("X-Trace")!: "1"])
        #expect(request.path == "/v2/user/get" && request.method == .get && request.headerFields.count == 1)
    }
}
