import Foundation
import PDSShared
import PDSTestVectors
import Testing

@testable import PDSAuth

@Suite struct AuthorizationRequestTests {
    func query(_ url: URL) -> [String: String] {
        Dictionary(FormEncoding.decode(url.query ?? ""), uniquingKeysWith: { first, _ in first })
    }

    @Test func encodesEveryParameterWithDomainIDFirst() throws {
        let pkce = PKCE()
        let request = AuthorizationRequest(
            clientID: "app id+&=/?", redirectURI: "http://127.0.0.1:8765/callback?x=1&y=2",
            scope: "FILE.ALL USER.ALL", domainID: "bj1", loginType: "ding", state: "s+t/a=te", pkce: pkce)
        let url = request.url(endpoint: URL(string: "https://bj1.api.aliyunpds.com/v2/oauth/authorize")!)
        let raw = url.query!
        // Reserved characters must be percent-encoded, never left for a form decoder to misread.
        #expect(raw.hasPrefix("domain_id=bj1&"), "the 2026 PDS Authorize reference lists domain_id first")
        #expect(raw.contains("client_id=app%20id%2B%26%3D%2F%3F"))
        #expect(raw.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback%3Fx%3D1%26y%3D2"))
        #expect(!raw.contains("+"))
        #expect(
            query(url) == [
                "domain_id": "bj1", "response_type": "code", "client_id": "app id+&=/?", "redirect_uri": "http://127.0.0.1:8765/callback?x=1&y=2",
                "scope": "FILE.ALL USER.ALL", "state": "s+t/a=te", "login_type": "ding",
                "code_challenge": pkce.challenge, "code_challenge_method": "S256",
            ])
        #expect(url.path == "/v2/oauth/authorize")
    }

    @Test func omitsWhatIsNotWanted() {
        let request = AuthorizationRequest(clientID: "c", redirectURI: "http://127.0.0.1:1/", scope: nil, domainID: nil, loginType: nil, pkce: nil)
        let fields = query(request.url(endpoint: URL(string: "http://127.0.0.1:9/authorize?tenant=a")!))
        for absent in ["scope", "code_challenge", "code_challenge_method", "domain_id", "login_type"] { #expect(fields[absent] == nil, "\(absent)") }
        #expect(fields["tenant"] == "a", "an endpoint's own query is kept")
    }

    @Test func stateIsFreshAndLong() {
        let a = AuthorizationRequest(clientID: "c", redirectURI: "r", scope: nil, domainID: nil, loginType: nil)
        let b = AuthorizationRequest(clientID: "c", redirectURI: "r", scope: nil, domainID: nil, loginType: nil)
        #expect(a.state != b.state)
        #expect(Base64URL.decode(a.state)!.count >= 32, "256 bits")
    }

    @Test func pkceAndFormEncodingMatchTheSharedVectors() throws {
        let vectors = try TestVectors.formEncoding()
        #expect(PKCE(verifier: vectors.pkce.verifier).challenge == vectors.pkce.challenge)
        #expect(PKCE().verifier.count == 43)
        for pair in vectors.encode { #expect(FormEncoding.escape(pair[0]) == pair[1], "\(pair[0])") }
        for entry in vectors.decode {
            #expect(FormEncoding.decode(entry.query).map { [$0.0, $0.1] } == entry.fields, "\(entry.query)")
        }
    }

    @Test func decodingIsTotalOnGarbage() {
        #expect(FormEncoding.decode("a=%zz&b=%4&c=%").map(\.1) == ["%zz", "%4", "%"])
        #expect(FormEncoding.decode("a=%FF").first?.1 == "\u{FFFD}")
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
    }

    @Test func tokenGrantsSendDomainIDFirstWhenKnown() {
        let fields = TokenGrant.refreshToken("r").formFields(clientID: "c", clientSecret: "s", domainID: "bj1")
        #expect(fields.map(\.0) == ["domain_id", "grant_type", "refresh_token", "client_id", "client_secret"])
        let generic = TokenGrant.jwtBearer(assertion: "a").formFields(clientID: "c", clientSecret: nil, domainID: nil)
        #expect(generic.map(\.0) == ["grant_type", "assertion", "client_id"])
    }
}
