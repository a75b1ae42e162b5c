import Hummingbird

/// The PDS resource APIs this server answers, so a client can call PDS against it:
/// `POST /v2/user/get`, `/v2/drive/list` and `/v2/file/list` (PDS API reference: `POST`,
/// a JSON object as body, `Authorization: Bearer <access token>`). Each call is counted,
/// then its access token is checked before the body is read (a caller that cannot be
/// identified learns nothing about its request), and the answer is JSON with the headers
/// of the token endpoint.
struct ResourceHandler: Sendable {
    let state: DevServerState

    func respond(to request: Request, endpoint: Endpoint, context: DevServerRequestContext) async throws(PDSError) -> Response {
        await state.statistics.resourceRequest(endpoint)
        do {
            return try await answer(request, endpoint: endpoint, context: context)
        } catch {
            if error.code == .accessTokenInvalid { await state.statistics.resourceUnauthorized() }
            state.logger.notice("Resource call refused",
                                metadata: ["path": "\(endpoint.rawValue)", "code": "\(error.code.rawValue)", "reason": "\(error.message)"])
            throw error
        }
    }

    private func answer(_ request: Request, endpoint: Endpoint, context: DevServerRequestContext) async throws(PDSError) -> Response {
        let grant = try await BearerAuthenticator(state: state).authenticate(request.headers[.authorization])
        let body = try await BodyReader.jsonObject(request, context: context)
        switch endpoint {
        case .userGet: return JSONResponse.ok(try await user(body, caller: grant.user))
        case .driveList: return JSONResponse.ok(try driveList(body, caller: grant.user))
        case .fileList: return JSONResponse.ok(try await fileList(body, caller: grant.user))
        default: throw PDSError(.notFound, "No endpoint at this path")
        }
    }

    var pager: Pager {
        Pager(markers: state.markers)
    }
}
