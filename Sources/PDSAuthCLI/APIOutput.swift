import FoundationEssentials
import HTTPTypes
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

    /// `--paginate`: one JSON array of every page's items, printed only once the whole list
    /// has arrived (an error on any page prints nothing on stdout), written in chunks rather
    /// than joined into one string. An answer that is not a list page is printed as received.
    func paginated(_ client: APIClient, _ request: APIRequest, profile name: String) async throws(PDSAuthError) {
        switch try await Pagination.collect(client, request, profile: name) {
        case .notAList(let response):
            try single(response, request)
        case .items(let items, let pages):
            if include { pages.forEach(printHead) }
            printArray(items)
        }
    }

    private func printArray(_ items: Pagination.Items) {
        var output = ChunkedOutput(terminal: terminal)
        guard terminal.stdoutIsTTY else {
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: item)
            }
            output.append(contentsOf: Array("]\n".utf8))
            output.flush()
            return
        }
        // On a terminal each item is re-indented and escaped as `single` does for a body.
        output.append(contentsOf: Array((items.isEmpty ? "[]" : "[\n").utf8))
        for (index, item) in items.enumerated() {
            let pretty = JSONText(item)?.prettyForTerminal ?? Redaction.terminalSafeText(String(decoding: item, as: UTF8.self))
            let indented = "  " + pretty.replacing("\n", with: "\n  ")
            output.append(contentsOf: Array((indented + (index == items.count - 1 ? "\n]" : ",\n")).utf8))
        }
        output.append(UInt8(ascii: "\n"))
        output.flush()
    }

    private func printHead(_ response: HTTPClientResponse) {
        var lines = [Self.statusLine(response)]
        for header in response.headerLines { lines.append("\(Redaction.terminalSafe(header.name, limit: 200)): \(Redaction.terminalSafe(header.value, limit: 4000))") }
        terminal.out(lines.joined(separator: "\n") + "\n")
    }

    /// The server's status line (`HTTP/1.1 200 OK`); HTTP/2 sends no reason phrase, so the
    /// standard one is added (`HTTP/2 200 OK`), as curl -i and gh api -i show it.
    static func statusLine(_ response: HTTPClientResponse) -> String {
        let line = Redaction.terminalSafe(response.statusLine ?? "HTTP \(response.status)", limit: 200)
        let phrase = HTTPResponse.Status(code: response.status).reasonPhrase
        guard line.split(separator: " ", maxSplits: 2).count == 2, !phrase.isEmpty else { return line }
        return line + " " + phrase
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

/// Stdout in chunks of 64 KiB: a list of a million items is neither one huge string nor a
/// million write calls.
struct ChunkedOutput {
    let terminal: Terminal
    private var buffer: [UInt8] = []

    init(terminal: Terminal) {
        self.terminal = terminal
        buffer.reserveCapacity(Self.chunk)
    }

    static let chunk = 64 << 10

    mutating func append(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        buffer += bytes
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        terminal.out(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
