import Testing

@testable import PDSAuth

/// What `login` suggests when the browser is elsewhere: the SSH port forward, WSL's opener.
@Suite struct RemoteHintTests {
    @Test func sshForwardNamesTheRedirectPortAndTheServer() throws {
        let target = try RedirectTarget(parsing: "http://localhost:8765/callback")
        let hint = SSHTunnelHint.command(environment: ["SSH_CONNECTION": "10.0.0.9 51234 10.0.0.5 2222", "USER": "ops"], redirect: target)
        #expect(hint == "ssh -N -L 8765:127.0.0.1:8765 -p 2222 ops@10.0.0.5")
        let v6 = try RedirectTarget(parsing: "http://[::1]:9000/cb")
        #expect(SSHTunnelHint.command(environment: ["SSH_CONNECTION": "a 1 srv 22"], redirect: v6) == "ssh -N -L 9000:[::1]:9000 srv")
        #expect(SSHTunnelHint.command(environment: [:], redirect: target) == nil)
        #expect(SSHTunnelHint.command(environment: ["SSH_CONNECTION": "garbage"], redirect: target) == nil)
    }

    @Test func wslIsDetectedFromTheKernelOrTheEnvironment() {
        let url = "http://127.0.0.1:1/"
        let wsl = BrowserLauncher(environment: [:], kernelVersion: "Linux version 5.15.167.4-microsoft-standard-WSL2")
        #expect(wsl.isWSL && wsl.candidates(for: url) == [["wslview", url], ["xdg-open", url]])
        let named = BrowserLauncher(environment: ["WSL_DISTRO_NAME": "Debian"], kernelVersion: "Linux version 6.1.0")
        #expect(named.isWSL)
        let plain = BrowserLauncher(environment: ["BROWSER": "firefox --new-tab %s:lynx"], kernelVersion: "Linux version 6.1.0")
        #expect(!plain.isWSL)
        #expect(plain.candidates(for: url) == [["firefox", "--new-tab", url], ["lynx", url], ["xdg-open", url]])
    }

    @Test func aFailingLauncherReportsFalseQuickly() async {
        #expect(await BrowserLauncher.launch(["/bin/false", "x"]) == false)
        #expect(await BrowserLauncher.launch(["/nonexistent/browser", "x"]) == false)
    }
}
