import Hummingbird

/// The PDS resource APIs this server answers, so a client can call PDS against it:
/// `POST /v2/user/get`, `/v2/drive/list` and `/v2/file/list` (PDS API reference: `POST`,
/// a JSON object as body, `Authorization: Bearer <access token>`). Each call is counted,
/// then its access token is checked before the body is read (a caller that cannot be
/// identified learns nothing about its request), and the answer is JSON with the headers
/// of the token endpoint.
struct ResourceHandler: Sendable {
    let state: DevServerState

    /// Counts the call, authenticates the caller, reads the body and answers with what
    /// `answer` makes of them.
    func respond<Answer: Encodable>(
        _ endpoint: Endpoint, to request: Request, context: DevServerRequestContext,
        answer: (JSONObject, DevUser) async throws(PDSError) -> Answer
    ) async throws(PDSError) -> Response {
        await state.statistics.resourceRequest(endpoint)
        do {
            let grant = try await BearerAuthenticator(state: state).authenticate(request.headers[.authorization])
            let body = try await BodyReader.jsonObject(request, context: context)
            return JSONResponse.ok(try await answer(body, grant.user))
        } catch {
            if error.code == .accessTokenInvalid { await state.statistics.resourceUnauthorized() }
            state.logger.notice("Resource call refused",
                                metadata: ["path": "\(endpoint.rawValue)", "code": "\(error.code.rawValue)", "reason": "\(error.message)"])
            throw error
        }
    }

    var pager: Pager {
        Pager(markers: state.markers)
    }
}
