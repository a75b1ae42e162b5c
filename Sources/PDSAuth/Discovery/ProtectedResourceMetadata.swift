import FoundationEssentials
import HTTPTypes

/// What a protected resource says about itself (RFC 9728): its identifier and the
/// authorization servers whose tokens it takes. Found through the `resource_metadata`
/// parameter of the `WWW-Authenticate` challenge on a 401 (RFC 9728 §5.1), fetched under the
/// same bounds as authorization server metadata, and used only if its `resource` is the
/// resource that was called (same origin, and the called path under its path; RFC 9728 §3.3).
package struct ProtectedResourceMetadata: Sendable, Equatable {
    package var resource: String
    /// Issuer identifiers, as the document lists them (at most 32 are read).
    package var authorizationServers: [String]

    /// The `resource_metadata` URL in a `WWW-Authenticate` header, if any: a quoted string
    /// (backslash escapes undone) or a token, from a header of at most 8 KiB.
    package static func metadataURL(fromChallenge header: String?) -> String? {
        guard let header, header.utf8.count <= 8192 else { return nil }
        let bytes = Array(header.utf8)
        let name = Array("resource_metadata=".utf8)
        var index = 0
        while index + name.count <= bytes.count {
            let before = index == 0 ? UInt8(ascii: " ") : bytes[index - 1]
            let matches = zip(bytes[index..<index + name.count], name).allSatisfy { $0.0 | 0x20 == $0.1 | 0x20 }
            if matches, before == UInt8(ascii: " ") || before == UInt8(ascii: ",") || before == UInt8(ascii: "\t") {
                return value(Array(bytes[(index + name.count)...]))
            }
            index += 1
        }
        return nil
    }

    private static func value(_ bytes: [UInt8]) -> String? {
        var output: [UInt8] = []
        if bytes.first == UInt8(ascii: "\"") {
            var escaped = false
            for byte in bytes.dropFirst() {
                if escaped {
                    output.append(byte)
                    escaped = false
                    continue
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    continue
                }
                if byte == UInt8(ascii: "\"") { return String(decoding: output, as: UTF8.self) }
                output.append(byte)
            }
            return nil
        }
        output = Array(bytes.prefix { $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: " ") })
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    /// Validates a document fetched from `url` for a call to `requestURL`.
    package static func decode(_ data: Data, for requestURL: URL, from url: URL) throws(PDSAuthError) -> ProtectedResourceMetadata {
        let source = Redaction.url(url)
        guard data.count <= AuthorizationServerMetadata.maxDocumentSize,
            let members = (try? JSONDecoder().decode(JSONValue.self, from: data))?.members,
            case .string(let resource)? = members["resource"]
        else {
            throw PDSAuthError(
                .invalidMetadata, "The resource metadata at \(source) is not a JSON object naming its resource", details: ["url": source])
        }
        guard covers(resource, requestURL) else {
            throw PDSAuthError(
                .invalidMetadata,
                "The resource metadata at \(source) is for \"\(Redaction.terminalSafe(resource, limit: 200))\", not for the resource called (RFC 9728 §3.3); it is not used",
                details: ["url": source])
        }
        var servers: [String] = []
        if case .array(let values)? = members["authorization_servers"] {
            for case .string(let server) in values.prefix(32) { servers.append(server) }
        }
        return ProtectedResourceMetadata(resource: resource, authorizationServers: servers)
    }

    /// Same scheme, host and port, and the called path at or below the resource's path.
    static func covers(_ resource: String, _ requestURL: URL) -> Bool {
        guard let identifier = URL(string: resource), identifier.query == nil, identifier.fragment == nil,
            identifier.scheme?.lowercased() == requestURL.scheme?.lowercased(),
            identifier.host?.lowercased() == requestURL.host?.lowercased(), identifier.port == requestURL.port
        else { return false }
        var prefix = identifier.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let path = requestURL.path
        return prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The metadata a 401 points at, or nil when it points nowhere. The URL must be https
    /// (plain http only when the resource itself is on loopback).
    package static func fetch(
        for response: HTTPClientResponse, requestURL: URL,
        transport: TransportOptions
    ) async throws(PDSAuthError) -> ProtectedResourceMetadata? {
        guard let text = metadataURL(fromChallenge: response[header: .wwwAuthenticate]) else { return nil }
        let url = try ProviderEndpoints.checked(text, what: "resource metadata URL")
        let resourceIsLoopback = requestURL.host.map { LoopbackHost.isLoopback($0) } ?? false
        guard url.scheme?.lowercased() == "https" || resourceIsLoopback else {
            throw PDSAuthError(.insecureURL, "The resource names plain-http metadata (\(Redaction.url(url))); only a loopback resource may")
        }
        let answer = try await MetadataDiscovery(transport: transport).http.send(
            HTTPClientRequest(url: url, headerFields: [.accept: "application/json"]))
        guard (200..<300).contains(answer.status) else {
            throw PDSAuthError(.invalidMetadata, "The resource metadata at \(Redaction.url(url)) answered HTTP \(answer.status)")
        }
        return try decode(answer.body, for: requestURL, from: url)
    }
}
