import FoundationEssentials
import PDSAuth

/// How `pds-auth api` prints: the body on stdout exactly as received when stdout is not a
/// terminal, re-indented (same members, same order, same numbers) when it is; `--include`
/// puts the status line and headers first. A non-2xx answer is one clean line on stderr
/// (the server's code, message and request id) and its exit status.
struct APIOutput {
    let terminal: Terminal
    let include: Bool

    func single(_ response: HTTPClientResponse, _ request: APIRequest) throws(PDSAuthError) {
        if include { printHead(response) }
        guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: request) }
        printBody(Array(response.body))
    }

    func paginated(_ client: APIClient, _ request: APIRequest, profile name: String) async throws(PDSAuthError) {
        var items: [[UInt8]] = []
        var current = request
        var seen: Set<String> = []
        for _ in 0..<Pagination.maxPages {
            let response = try await client.send(current, profile: name)
            if include { printHead(response) }
            guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: current) }
            let page = try Pagination.page(Array(response.body))
            items += page.items
            guard let next = page.next else {
                printBody(Array(("[" + items.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]").utf8))
                return
            }
            guard seen.insert(next).inserted else {
                throw PDSAuthError(.invalidResponse, "The server sent the same next_marker twice; the list would never end")
            }
            current.body = try Pagination.body(request.body, marker: next)
        }
        throw PDSAuthError(.invalidResponse, "The list did not end within \(Pagination.maxPages) pages")
    }

    private func printHead(_ response: HTTPClientResponse) {
        var lines = ["HTTP \(response.status)"]
        for header in response.headerLines { lines.append("\(Redaction.terminalSafe(header.name, limit: 200)): \(Redaction.terminalSafe(header.value, limit: 4000))") }
        terminal.out(lines.joined(separator: "\n") + "\n")
    }

    private func printBody(_ body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        guard terminal.stdoutIsTTY else {
            // As received: a script gets the server's bytes (plus a final newline if none).
            terminal.out(text, newline: !text.hasSuffix("\n"))
            return
        }
        terminal.out(JSONText(body)?.prettyForTerminal ?? Redaction.terminalSafeText(text))
    }
}
