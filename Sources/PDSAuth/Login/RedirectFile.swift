import FoundationEssentials
import Glibc

/// A local HTML page that sends the browser on to a URL carrying a secret (the start page's
/// key), so that the secret never appears on a command line: any local user can read every
/// process's arguments (`/proc/PID/cmdline`), and a browser keeps the URL it was started
/// with in its own. The browser is given this file's `file://` URL instead; the file is
/// 0600 in a `PrivateDirectory` and is removed when the sign-in ends. (Jupyter opens
/// its token-bearing URL the same way, for the same reason.)
package final class RedirectFile: Sendable {
    let privateDirectory: PrivateDirectory
    package var directory: String { privateDirectory.path }
    package var path: String { privateDirectory.path + "/" + Self.fileName }

    static let fileName = "sign-in.html"

    /// Nil when no private directory can be made (the caller prints the URL instead).
    package init?(target url: String, roots: TemporaryRoot.Choice) {
        guard let made = try? PrivateDirectory(purpose: "login", roots: roots) else { return nil }
        privateDirectory = made
        let escaped = url.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">\
            <meta http-equiv="refresh" content="0;url=\(escaped)"><title>pds-auth</title></head>\
            <body><p><a href="\(escaped)">Continue to the pds-auth sign-in page</a></p></body></html>

            """
        do {
            try made.write(Array(html.utf8), to: Self.fileName)
        } catch {
            made.remove()
            return nil
        }
    }

    /// The `file://` URL to hand to a browser.
    package var fileURL: String { "file://" + path }

    @discardableResult
    package func remove() -> PrivateDirectory.Removal { privateDirectory.remove() }

    deinit { remove() }
}
