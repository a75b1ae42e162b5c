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
