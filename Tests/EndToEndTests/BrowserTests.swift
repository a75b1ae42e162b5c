import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer
import Testing

/// The pages in a real browser: headless Chromium opens the local start page, clicks
/// `login`, approves at the dev server and lands on the success page, whose reveal control
/// (inline script allowed by its CSP hash) shows the full token.
@Suite struct BrowserTests {
    static var enabled: Bool { WebDriver.available || ProcessInfo.processInfo.environment["CI"] != nil }

    @Test(.enabled(if: enabled, "needs Debian's chromium and chromium-driver (make test installs them)"))
    func signInWithHeadlessChromium() async throws {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        let seen = LockedValue<[String: String]>([:])
        try await DevServer.withRunning(DevSession.configuration()) { server, base in
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let result = try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: app.clientSecret)
                .run { startURL in
                    let browser = WebDriver()
                    try await browser.start()
                    do {
                        try await Self.drive(browser, startURL: startURL, seen: seen)
                        await browser.stop()
                    } catch {
                        if let png = try? await browser.screenshotPNG() { try? png.write(to: URL(fileURLWithPath: home.path + "/failure.png")) }
                        await browser.stop()
                        throw error
                    }
                }
            let login = try result.get()
            let page = seen.value
            #expect(page["start"]?.contains(app.clientID) == true && page["start"]?.contains("dev") == true)
            #expect(page["consent"]?.contains(app.name) == true)
            #expect(page["result"] == "Signed in" && page["user"] == "pdsuser")
            #expect(page["masked"] == Redaction.mask(login.profile.accessToken))
            #expect(page["revealed"] == login.profile.accessToken, "the reveal control (inline script under CSP) works")
            #expect(page["success"]?.contains("profile default") == true)
        }
    }

    /// Starts where `login` starts a browser: at the private redirect file that forwards to
    /// the start page with this run's key (the key never appears on a command line).
    static func drive(_ browser: WebDriver, startURL: String, seen: LockedValue<[String: String]>) async throws {
        let forward = try #require(RedirectFile(target: startURL, roots: try TemporaryRoot.choose()))
        try await browser.open(forward.fileURL)
        _ = try await browser.element(id: "login")
        let start = try await browser.bodyText()
        try await browser.click(id: "login")
        _ = try await browser.element(id: "approve")
        let consent = try await browser.bodyText()
        try await browser.click(id: "approve")
        let result = try await browser.text(id: "result")
        let user = try await browser.text(id: "user")
        let masked = try await browser.text(id: "token")
        let success = try await browser.bodyText()
        try await browser.click(id: "reveal")
        let revealed = try await browser.text(id: "token")
        seen.set([
            "start": start, "consent": consent, "result": result, "user": user, "masked": masked,
            "revealed": revealed, "success": success,
        ])
    }
}
