import Foundation
import Testing

@testable import PDSDevServer

@Suite struct RoutingTests {
    @Test func unknownPathIsAPDSNotFound() async throws {
        try await Fixture().test { client in
            let response = try await client.post("/v2/share/list", json: "{}")
            #expect(response.status == .notFound)
            let error = try #require(response.pdsError)
            #expect(error.code == "NotFound")
            #expect(error.requestId == response.header("x-ca-request-id"))
        }
    }

    @Test func wrongMethodIsRefusedWithAllow() async throws {
        try await Fixture().test { client in
            let response = try await client.get("/v2/oauth/token")
            #expect(response.status == .methodNotAllowed)
            #expect(response.header("Allow") == "POST")
            #expect(response.pdsError?.code == "MethodNotAllowed")
            let post = try await client.post("/v2/oauth/authorize", form: [])
            #expect(post.header("Allow") == "GET")
            for path in ["/v2/user/get", "/v2/drive/list", "/v2/file/list", "/v2/oauth/revoke"] {
                let get = try await client.get(path)
                #expect(get.status == .methodNotAllowed, "\(path)")
                #expect(get.header("Allow") == "POST", "\(path)")
            }
        }
    }

    @Test func everyResponseHasItsOwnRequestID() async throws {
        try await Fixture().test { client in
            let ids = try await [
                client.get("/.well-known/jwks.json"), client.get("/nothing"),
                client.authorize(Client.authorizeFields()), client.authorize([]),
                client.consent(Client.authorizeFields()), client.refresh("x"),
            ].map { try #require($0.header("x-ca-request-id"), "request id") }
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test func bodiesAreBounded() async throws {
        try await Fixture().test { client in
            let big = String(repeating: "a", count: 70 * 1024)
            let response = try await client.token([("grant_type", "refresh_token"), ("padding", big)])
            #expect(response.status == .contentTooLarge)
            #expect(response.pdsError?.code == "EntityTooLarge")
        }
    }

    @Test func formDecoding() throws {
        let fields = try #require(FormFields(encoded: "a=1+2&b=%C3%A9%26&c=&d&a=3"), "fields")
        #expect(fields["a"] == "3")
        #expect(fields.repeatedNames == ["a"])
        #expect(fields["b"] == "é&")
        #expect(fields["c"] == nil)
        #expect(fields["d"] == nil)
        #expect(FormFields(encoded: "a=%2") == nil)
        #expect(FormFields(encoded: "a=%FF") == nil)
        // `&` and `=` followed by a combining mark are one grapheme cluster, still delimiters.
        let marked = try #require(FormFields(encoded: "a=1&\u{335}b=\u{335}2"), "fields")
        #expect(marked["a"] == "1")
        #expect(marked["\u{335}b"] == "\u{335}2")
        #expect(FormEncoding.encode([("k y", "a&b=c/é")]) == "k%20y=a%26b%3Dc%2F%C3%A9")
    }
}
