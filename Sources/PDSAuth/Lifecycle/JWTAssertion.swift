/// Placeholder until the JWT-bearer grant lands (issue 4): a JWT profile cannot be renewed.
enum JWTAssertion {
    static func sign(settings: JWTSettings, clientID: String, audience: String) throws(PDSAuthError) -> String {
        throw PDSAuthError(.notSignedIn, code: "jwt_unsupported", "This build cannot sign JWT assertions yet")
    }
}
