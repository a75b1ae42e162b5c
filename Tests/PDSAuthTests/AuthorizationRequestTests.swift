import Foundation
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

@Suite struct AuthorizationRequestTests {
    func query(_ url: URL) -> [String: String] {
        Dictionary(FormEncoding.decode(url.query ?? ""), uniquingKeysWith: { first, _ in first })
    }

    @Test func encodesEveryParameter() throws {
        let pkce = PKCE()
        let request = AuthorizationRequest(clientID: "app id+&=/?", redirectURI: "http://127.0.0.1:8765/callback?x=1&y=2",
                                           scope: "FILE.ALL USER.ALL", loginType: "ding", state: "s+t/a=te", pkce: pkce)
        let url = request.url(endpoint: URL(string: "https://bj1.api.aliyunpds.com/v2/oauth/authorize")!)
        let raw = url.query!
        // Reserved characters must be percent-encoded, never left for a form decoder to misread.
        #expect(raw.contains("client_id=app%20id%2B%26%3D%2F%3F"))
        #expect(raw.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback%3Fx%3D1%26y%3D2"))
        #expect(!raw.contains("+"))
        let fields = query(url)
        #expect(fields == [
            "response_type": "code", "client_id": "app id+&=/?", "redirect_uri": "http://127.0.0.1:8765/callback?x=1&y=2",
            "scope": "FILE.ALL USER.ALL", "state": "s+t/a=te", "login_type": "ding",
            "code_challenge": pkce.challenge, "code_challenge_method": "S256",
        ])
        #expect(url.path == "/v2/oauth/authorize")
    }

    @Test func omitsScopeAndPKCEWhenNotWanted() {
        let request = AuthorizationRequest(clientID: "c", redirectURI: "http://127.0.0.1:1/", scope: nil, loginType: "default", pkce: nil)
        let fields = query(request.url(endpoint: URL(string: "http://127.0.0.1:9/authorize?tenant=a")!))
        #expect(fields["scope"] == nil && fields["code_challenge"] == nil && fields["code_challenge_method"] == nil)
        #expect(fields["tenant"] == "a", "an endpoint's own query is kept")
    }

    @Test func stateIsFreshAndLong() {
        let a = AuthorizationRequest(clientID: "c", redirectURI: "r", scope: nil, loginType: "default")
        let b = AuthorizationRequest(clientID: "c", redirectURI: "r", scope: nil, loginType: "default")
        #expect(a.state != b.state)
        #expect(Base64URL.decode(a.state)!.count >= 16, "at least 128 bits")
    }

    /// RFC 7636 Appendix B.
    @Test func pkceMatchesRFC7636Vector() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE().verifier.count == 43)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
    }

    @Test func stateGuardIsSingleUse() {
        let guardian = StateGuard(expected: "expected-state")
        #expect(guardian.consume(nil) == .missing)
        #expect(guardian.consume("wrong") == .mismatch)
        #expect(guardian.consume("expected-state") == .accepted)
        #expect(guardian.consume("expected-state") == .alreadyUsed)
    }
}
