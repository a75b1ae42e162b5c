import ArgumentParser
import FoundationEssentials
import Glibc
import HTTPTypes
import PDSAuth

struct ApiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Call a PDS API with the saved sign-in and print the answer.",
        discussion: """
            The path is relative to the profile's endpoint; the token is the one `pds-auth token` \
            would print (refreshed when near expiry; on a 401 for an invalid or expired token, \
            renewed once and the call repeated once). PDS APIs are POST with a JSON body, so \
            that is the default, with `{}` when no body is given.

            Examples:
              pds-auth api /v2/user/get
              pds-auth api /v2/file/list --paginate \\
                -d '{"drive_id":"1","parent_file_id":"root"}'
              echo '{"limit":10}' | pds-auth api /v2/drive/list --input -
            """)

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var verbosity: VerboseOption

    @Argument(help: "The API path, e.g. /v2/user/get (never a full URL: the token goes only to the profile's endpoint).")
    var path: String

    @Option(name: [.customShort("X"), .customLong("method")], help: "The HTTP method (default POST).")
    var method = "POST"

    @Option(name: [.customShort("d"), .customLong("data")], help: "The JSON request body.")
    var data: String?

    @Option(help: "Read the JSON request body from a file, or - for stdin.")
    var input: String?

    @Option(name: [.customShort("H"), .customLong("header")], help: "An extra request header, \"Name: value\" (repeatable).")
    var headers: [String] = []

    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the status line and headers before the body.")
    var include = false

    @Flag(help: "Follow next_marker through a list API and print one JSON array of all items.")
    var paginate = false

    func validate() throws {
        if data != nil, input != nil { throw ValidationError("Give the body with -d or --input, not both") }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, verbose: verbosity.verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let request = try makeRequest()
            let transport = try terminal.transport(environment)
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            var options = transport
            options.maxBodyBytes = APIClient.defaultMaxResponseSize
            let client = APIClient(provider: TokenProvider(store: store, renewer: StandardRenewer(transport: transport)), transport: options)
            let output = APIOutput(terminal: terminal, include: include)
            if paginate {
                try await output.paginated(client, request, profile: name)
            } else {
                let response = try await client.send(request, profile: name)
                try output.single(response, request)
            }
        }
    }

    func makeRequest() throws(PDSAuthError) -> APIRequest {
        var body: [UInt8]? = data.map { Array($0.utf8) }
        if let input { body = try Self.read(input) }
        let method = try APIRequest.method(method)
        if body == nil, method == .post { body = Array("{}".utf8) }
        var fields = HTTPFields()
        for header in headers { fields.append(try APIRequest.field(header)) }
        return try APIRequest(method: method, path: path, body: body, headerFields: fields)
    }

    /// The body from a file or stdin, bounded.
    static func read(_ source: String) throws(PDSAuthError) -> [UInt8] {
        let input = CommandIO.current.input
        let descriptor = source == "-" ? input : open(source, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PDSAuthError(.invalidRequest, "Cannot read the request body from \(Redaction.terminalSafe(source, limit: 100))")
        }
        defer { if descriptor != input { close(descriptor) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
            guard bytes.count <= APIRequest.maxBodySize else { throw PDSAuthError(.invalidRequest, "The request body is larger than 8 MiB") }
        }
        return bytes
    }
}

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
        for field in response.headerFields {
            lines.append("\(Redaction.terminalSafe(field.name.rawName, limit: 200)): \(Redaction.terminalSafe(field.value, limit: 4000))")
        }
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
