import Foundation
import Glibc
import PDSAuth

// Usage: LibraryProbe
// A program that uses PDSAuth as a library and reports, one line each, whether the
// library changed process state it does not own: SIGPIPE's disposition across libcurl's
// first use, and the PATH variable across starting a program. Run by ProcessStateTests in a
// process of its own, where no other test (or SwiftNIO, which ignores SIGPIPE when it makes
// a socket) can change them meanwhile.
let marker: @convention(c) (Int32) -> Void = { _ in }

func handler(of signal: Int32) -> Int {
    var action = sigaction()
    sigaction(signal, nil, &action)
    return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
}

signal(SIGPIPE, marker)
// Refused at once (port 9 on loopback): libcurl is loaded, initialised and used all the same.
_ = try? await CurlClient().send(HTTPClientRequest(method: .get, url: URL(string: "http://127.0.0.1:9/")!))
print("sigpipe-kept=\(handler(of: SIGPIPE) == unsafeBitCast(marker, to: Int.self))")

let path = String(cString: getenv("PATH"))
if case .success(let pid) = ProcessSpawner.spawn(["true"], environment: ["PATH": "/bin"], silent: true) { _ = await ProcessSpawner.wait(pid) }
print("path-kept=\(String(cString: getenv("PATH")) == path)")
