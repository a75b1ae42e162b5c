import ArgumentParser
import FoundationEssentials
import Glibc
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
        let environment = ProcessInfo.processInfo.environment
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
        if body == nil, method.uppercased() == "POST" { body = Array("{}".utf8) }
        var extra: [(name: String, value: String)] = []
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else {
                throw PDSAuthError(.invalidRequest, "-H \"\(Redaction.terminalSafe(header, limit: 60))\" is not \"Name: value\"")
            }
            extra.append((header[..<colon].trimmed(), header[header.index(after: colon)...].trimmed()))
        }
        return try APIRequest(method: method, path: path, body: body, headers: extra)
    }

    /// The body from a file or stdin, bounded.
    static func read(_ source: String) throws(PDSAuthError) -> [UInt8] {
        let descriptor = source == "-" ? 0 : open(source, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PDSAuthError(.invalidRequest, "Cannot read the request body from \(Redaction.terminalSafe(source, limit: 100))")
        }
        defer { if descriptor != 0 { close(descriptor) } }
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
