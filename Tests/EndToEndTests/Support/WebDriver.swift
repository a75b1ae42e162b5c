import Foundation
import HTTPTypes
import PDSAuth
import PDSAuthTestSupport

/// A minimal W3C WebDriver client for chromedriver + headless Chromium (Debian's
/// `chromium` and `chromium-driver`), over libcurl like everything else here.
final class WebDriver: @unchecked Sendable {
    // @unchecked: `driver` and `session` are set once in `start` before any other use and
    // only read afterwards; tests use one WebDriver from one task.
    private var driver: CLIProcess?
    private var base = ""
    private var session = ""
    private let profile = TemporaryDirectory()
    private let http = CurlClient(options: TransportOptions(connectTimeout: .seconds(5), totalTimeout: .seconds(60)))

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    }

    func start() async throws {
        // chromedriver picks no port by itself: try a few random high ones.
        for _ in 0..<5 {
            let port = Int.random(in: 20000...60000)
            let process = CLIProcess(["--port=\(port)", "--allowed-ips=127.0.0.1"], environment: [:], executable: "/usr/bin/chromedriver")
            try process.start()
            base = "http://127.0.0.1:\(port)"
            // Ready, or gone (the port was taken).
            var ready = false
            try await waitUntil(polling: .milliseconds(50)) {
                ready = (try? await call("GET", "/status")).flatMap { ($0["value"] as? [String: Any])?["ready"] as? Bool } == true
                return ready || !process.isRunning
            }
            if ready {
                driver = process
                return try await createSession()
            }
            process.kill()
        }
        throw CLIProcessError(message: "chromedriver did not start")
    }

    private func createSession() async throws {
        let arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--window-size=1024,768",
        ]
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": ["binary": "/usr/bin/chromium", "args": arguments],
                ]
            ]
        ]
        let answer = try await call("POST", "/session", capabilities)
        guard let value = answer["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw CLIProcessError(message: "no WebDriver session: \(answer)")
        }
        session = id
    }

    /// Ends the session (which closes Chromium), then chromedriver itself. SIGKILL, because
    /// a child spawned from a Swift worker thread may start with SIGTERM blocked.
    func stop() async {
        if !session.isEmpty { _ = try? await call("DELETE", "/session/\(session)") }
        driver?.kill()
        _ = try? await driver?.wait(timeout: .seconds(10))
    }

    func open(_ url: String) async throws { _ = try await call("POST", "/session/\(session)/url", ["url": url]) }

    var currentURL: String { get async throws { try await call("GET", "/session/\(session)/url")["value"] as? String ?? "" } }

    /// The element with `id`, waiting for it to appear (pages change after clicks).
    func element(id: String) async throws -> String {
        let reference = try await waitForValue(polling: .milliseconds(50)) { () async throws -> String? in
            let answer = try await call("POST", "/session/\(session)/element", ["using": "css selector", "value": "#\(id)"])
            guard let value = answer["value"] as? [String: Any], value.count == 1 else { return nil }
            return value.values.first as? String
        }
        if let reference { return reference }
        throw CLIProcessError(message: "no element #\(id) on \(try await currentURL)")
    }

    func click(id: String) async throws {
        let element = try await element(id: id)
        _ = try await call("POST", "/session/\(session)/element/\(element)/click", [:])
    }

    func text(id: String) async throws -> String {
        let element = try await element(id: id)
        return try await call("GET", "/session/\(session)/element/\(element)/text")["value"] as? String ?? ""
    }

    func bodyText() async throws -> String {
        let answer = try await call("POST", "/session/\(session)/element", ["using": "css selector", "value": "body"])
        guard let value = answer["value"] as? [String: Any], let element = value.values.first as? String else { return "" }
        return try await call("GET", "/session/\(session)/element/\(element)/text")["value"] as? String ?? ""
    }

    func screenshotPNG() async throws -> Data {
        let value = try await call("GET", "/session/\(session)/screenshot")["value"] as? String ?? ""
        return Data(base64Encoded: value) ?? Data()
    }

    @discardableResult
    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await http.send(
            HTTPClientRequest(
                method: HTTPRequest.Method(method)!, url: URL(string: base + path)!,
                headerFields: [.contentType: "application/json"], body: data))
        return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }
}
