import FoundationEssentials
import HTTPTypes

/// Fuzzes what the token endpoint sends back: `TokenResponse.decode` for a 2xx answer and
/// `TokenEndpointError.from` for any other, both with server-chosen headers and body.
///
/// Input layout (readable seeds, like an HTTP response): a first line with the status
/// (digits; anything else means 400), then `name: value` header lines, an empty line, and
/// the body bytes. Invariants:
/// - a decoded token has RFC 6749 VSCHAR access and refresh tokens, no empty refresh token,
///   and an expiry (if any) after the moment it was received and within ten years;
/// - whatever is decoded can be saved and read back: token response → profile → credentials
///   file → decode gives the same, usable profile (nothing pds-auth writes is unreadable);
/// - a refusal is `invalidResponse`;
/// - every text of the resulting error is free of control characters and bounded, keeps the
///   HTTP status, and the status decides the kind (408/429/5xx: server unavailable;
///   3xx/404/405/410/415: a misconfigured endpoint).

let url = URL(string: "https://bj1.api.aliyunpds.com/v2/oauth/token")!
let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let response = parse(UnsafeBufferPointer(start: data, count: size))
    do {
        let token = try TokenResponse.decode(response.body, from: "bj1.api.aliyunpds.com", receivedAt: receivedAt)
        require(TokenResponse.isTokenText(token.accessToken), "an access token outside VSCHAR was accepted")
        require(token.refreshToken.map(TokenResponse.isTokenText) ?? true, "a refresh token outside VSCHAR was kept")
        if let expiry = token.expiresAt {
            let lifetime = expiry.timeIntervalSince(receivedAt)
            require(lifetime > 0 && lifetime <= TokenResponse.maxLifetime, "a lifetime of \(lifetime) s was accepted")
        }
        requireSavable(token)
    } catch {
        require(error.code == .invalidResponse, "unexpected decode error \(error.code)")
        requireClean(error)
    }

    let error = TokenEndpointError.from(response, url: url, grant: .refreshToken("r"))
    requireClean(error)
    require((error.serverCode?.count ?? 0) <= 81, "a server code of \(error.serverCode?.count ?? 0) characters")
    require(error.httpStatus == response.status, "the HTTP status is missing from the error")
    if let requestID = error.requestID { requireTerminalSafe(requestID, limit: 100, "request id") }
    let status = response.status
    let misconfigured = (300..<400).contains(status) || [404, 405, 410, 415].contains(status)
    let transient = !misconfigured && (status == 429 || status == 408 || status >= 500)
    require((error.code == .serverUnavailable) == transient, "status \(status) classified as \(error.code)")
    require((error.code == .endpointMisconfigured) == misconfigured, "status \(status) classified as \(error.code)")
    return 0
}

/// Token response → profile → saved file → decoded: the same profile, usable.
func requireSavable(_ token: TokenResponse) {
    var profile = StoredProfile(
        grant: .authorizationCode, endpoints: ProviderEndpoints(flavor: .pds, base: url, authorizeURL: url, tokenURL: url, revokeURL: nil),
        domainID: token.domainID, clientID: "c", clientSecret: nil, redirectURI: nil, scope: token.scope, caBundlePath: nil,
        accessToken: "placeholder", refreshToken: nil, tokenType: nil, expiresAt: nil, obtainedAt: receivedAt, user: nil)
    profile.apply(token, receivedAt: receivedAt)
    var file = CredentialsFile()
    file.profiles["p"] = profile
    let encoded = file.encoded()
    do {
        let again = try CredentialsFile.decode(encoded, path: "/fuzz")
        require(again.unreadable.isEmpty, "a saved profile reads back unusable: \(again.unreadable)")
        require(again.profiles["p"]?.accessToken == token.accessToken, "the saved token reads back differently")
    } catch {
        fatalError("fuzz invariant violated: a saved token response cannot be read back: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
    }
}

/// Every text a user will see in a terminal.
func requireClean(_ error: PDSAuthError) {
    for text in [error.code.description, error.message] + error.shownDetails.flatMap { [$0.label, $0.value] } {
        require(isTerminalSafe(text), "error text with a control character: \(text.debugDescription)")
    }
}

/// Splits the input into status, headers and body (see the layout above). Header lines are
/// kept as `CurlTransfer` keeps them: trimmed name and value, in order.
func parse(_ input: UnsafeBufferPointer<UInt8>) -> HTTPClientResponse {
    let bytes = Array(input)
    var headEnd = bytes.count
    var bodyStart = bytes.count
    for index in bytes.indices where bytes[index] == 0x0A && index + 1 < bytes.count && bytes[index + 1] == 0x0A {
        headEnd = index
        bodyStart = index + 2
        break
    }
    let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
    let lines = head.split(separator: "\n", omittingEmptySubsequences: false)
    let status = lines.first.flatMap { Int($0.trimmed()) }.flatMap { (100...599).contains($0) ? $0 : nil } ?? 400
    var headers = HTTPFields()
    for line in lines.dropFirst() {
        // As libcurl's header lines reach CurlTransfer: a line whose name is no token is dropped.
        guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(line[..<colon].trimmed()) else { continue }
        headers.append(HTTPField(name: name, lenientValue: Array(line[line.index(after: colon)...].trimmed().utf8)))
    }
    return HTTPClientResponse(status: status, headerFields: headers, body: Data(bytes[bodyStart...]))
}
