import FoundationEssentials
import Glibc

/// A local HTML page that sends the browser on to a URL carrying a secret (the start page's
/// key), so that the secret never appears on a command line: any local user can read every
/// process's arguments (`/proc/PID/cmdline`), and a browser keeps the URL it was started
/// with in its own. The browser is given this file's `file://` URL instead; the file is
/// 0600 in a private 0700 directory and is removed when the sign-in ends. (Jupyter opens
/// its token-bearing URL the same way, for the same reason.)
public final class RedirectFile: Sendable {
    public let directory: String
    public let path: String

    /// Nil when no private directory can be made (the caller prints the URL instead).
    public init?(target url: String, temporaryRoot: String = PrivateDirectory.temporaryRoot()) {
        guard let made = PrivateDirectory.make(prefix: "pds-auth-", root: temporaryRoot) else { return nil }
        directory = made
        path = directory + "/sign-in.html"
        let escaped = url.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">\
            <meta http-equiv="refresh" content="0;url=\(escaped)"><title>pds-auth</title></head>\
            <body><p><a href="\(escaped)">Continue to the pds-auth sign-in page</a></p></body></html>

            """
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            rmdir(directory)
            return nil
        }
        let bytes = Array(html.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            remove()
            return nil
        }
    }

    /// The `file://` URL to hand to a browser.
    public var fileURL: String { "file://" + path }

    public func remove() {
        unlink(path)
        rmdir(directory)
    }

    deinit { remove() }
}
