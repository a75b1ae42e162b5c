import Hummingbird

/// `POST /v2/account/revoke` with JSON `{"app_id", "refresh_token"}` (PDS account API, as
/// the PDS SDKs sign out). 204 when the token is now dead, also when it was unknown or
/// already dead (RFC 7009 §2.2: "invalid tokens do not cause an error response"). A token
/// issued to another app is refused and stays alive (RFC 7009 §2.1).
struct RevokeHandler: Sendable {
    let state: DevServerState

    struct Body: Decodable {
        var app_id: String?
        var refresh_token: String?
    }

    func respond(to request: Request, context: DevServerRequestContext) async throws(PDSError) -> Response {
        guard let body = try await BodyReader.json(Body.self, request, context: context) else {
            throw PDSError(.invalid, #"The body must be a JSON object {"app_id": "...", "refresh_token": "..."}"#)
        }
        guard let appID = body.app_id, !appID.isEmpty else { throw .missing("app_id") }
        guard let token = body.refresh_token, !token.isEmpty else { throw .missing("refresh_token") }
        await state.statistics.revocation()
        guard state.apps[appID] != nil else { throw PDSError(.appID, "No app with the id \(appID) is registered") }
        switch await state.refreshTokens.revoke(token, appID: appID) {
        case .revoked, .unknown:
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Response(status: .noContent, headers: headers)
        case .wrongApp:
            throw PDSError(.appID, "The refresh token was not issued to the app \(appID)")
        }
    }
}
