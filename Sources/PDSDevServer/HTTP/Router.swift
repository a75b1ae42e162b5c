import Hummingbird

/// The endpoints, by exact path, with the one method each answers (PDS Authorize, Token,
/// account and resource APIs; RFC 7009 for the generic revocation endpoint; RFC 7517 for
/// the key set).
enum Endpoint: String, CaseIterable, Sendable {
    case authorize = "/v2/oauth/authorize"
    case decision = "/v2/oauth/authorize/decision"
    case token = "/v2/oauth/token"
    case revoke = "/v2/account/revoke"
    case tokenRevocation = "/v2/oauth/revoke"
    case jwks = "/.well-known/jwks.json"
    case userGet = "/v2/user/get"
    case driveList = "/v2/drive/list"
    case fileList = "/v2/file/list"

    var method: HTTPRequest.Method {
        switch self {
        case .authorize, .jwks: .get
        case .decision, .token, .revoke, .tokenRevocation, .userGet, .driveList, .fileList: .post
        }
    }
}

extension DevServer {
    /// Every request passes the middleware, outermost first: its request id, the rendering
    /// of whatever is thrown below, the DNS-rebinding check on `Host`, the exact path and
    /// method of an ``Endpoint``; then the route of its endpoint group.
    var router: Router<DevServerRequestContext> {
        let router = Router(context: DevServerRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware(pages: state.pages, logger: state.logger))
        router.add(middleware: HostCheckMiddleware())
        router.add(middleware: EndpointMiddleware())
        Self.addAuthorizeRoutes(to: router, state: state)
        Self.addTokenRoutes(to: router, state: state)
        Self.addResourceRoutes(to: router, state: state)
        return router
    }

    /// What the browser sees: the consent page and the answer of its form (PDS Authorize API).
    private static func addAuthorizeRoutes(to router: Router<DevServerRequestContext>, state: DevServerState) {
        let authorize = AuthorizeHandler(state: state)
        let decision = DecisionHandler(state: state)
        router.route(.authorize) { request, _ in try await authorize.respond(to: request) }
        router.route(.decision) { request, context in try await decision.respond(to: request, context: context) }
    }

    /// What the client calls: tokens, revocation (PDS and RFC 7009) and the key set.
    private static func addTokenRoutes(to router: Router<DevServerRequestContext>, state: DevServerState) {
        let token = TokenHandler(state: state)
        let revoke = RevokeHandler(state: state)
        let tokenRevocation = TokenRevocationHandler(state: state)
        router.route(.token) { request, context in await token.respond(to: request, context: context) }
        router.route(.revoke) { request, context in try await revoke.respond(to: request, context: context) }
        router.route(.tokenRevocation) { request, context in try await tokenRevocation.respond(to: request, context: context) }
        router.route(.jwks) { _, _ in JSONResponse.ok(try await state.keys.generated().jwks) }
    }

    /// The PDS resource APIs, which take the access tokens issued here.
    private static func addResourceRoutes(to router: Router<DevServerRequestContext>, state: DevServerState) {
        let resources = ResourceHandler(state: state)
        router.route(.userGet) { request, context in
            try await resources.respond(.userGet, to: request, context: context) { body, caller throws(PDSError) in
                try await resources.user(body, caller: caller)
            }
        }
        router.route(.driveList) { request, context in
            try await resources.respond(.driveList, to: request, context: context) { body, caller throws(PDSError) in
                try resources.driveList(body, caller: caller)
            }
        }
        router.route(.fileList) { request, context in
            try await resources.respond(.fileList, to: request, context: context) { body, caller throws(PDSError) in
                try await resources.fileList(body, caller: caller)
            }
        }
    }
}

extension Router<DevServerRequestContext> {
    /// `handler` at the path of `endpoint`, for its one method.
    func route(_ endpoint: Endpoint, use handler: @escaping @Sendable (Request, DevServerRequestContext) async throws -> Response) {
        on(RouterPath(endpoint.rawValue), method: endpoint.method, use: handler)
    }
}
