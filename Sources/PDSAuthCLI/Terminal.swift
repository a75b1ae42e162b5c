#if canImport(Glibc)
import Glibc
#endif
import PDSAuth

/// Human narration goes to stderr, machine output to stdout. Colour only on a terminal
/// and never with NO_COLOR (no-color.org).
struct Terminal: Sendable {
    let environment: [String: String]
    var quiet = false

    init(environment: [String: String], quiet: Bool = false) {
        self.environment = environment
        self.quiet = quiet
    }

    var stderrIsTTY: Bool { isatty(2) == 1 }
    var stdinIsTTY: Bool { isatty(0) == 1 }
    var colour: Bool { stderrIsTTY && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb" }

    func say(_ text: String) {
        guard !quiet else { return }
        FileDescriptorOutput.write(text + "\n", to: 2)
    }

    /// What the user must act on (where to sign in, the paste prompt), printed even with
    /// `--quiet`: without it a sign-in with no browser could not be completed.
    func must(_ text: String) { FileDescriptorOutput.write(text + "\n", to: 2) }

    func out(_ text: String) { FileDescriptorOutput.write(text + "\n", to: 1) }

    func green(_ text: String) -> String { colour ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// Prints a failure the way every command does: what happened, then what to do.
    func report(_ error: PDSAuthError) {
        FileDescriptorOutput.write("\(red("error:")) \(error.description)\n", to: 2)
        if let hint = error.hint { FileDescriptorOutput.write("  \(hint)\n", to: 2) }
    }

    /// Reads a line from the terminal with echo off (for the client secret).
    func readHidden(prompt: String) -> String? {
        FileDescriptorOutput.write(prompt, to: 2)
        var original = termios()
        guard tcgetattr(0, &original) == 0 else { return readLine() }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &original)
            FileDescriptorOutput.write("\n", to: 2)
        }
        return readLine(strippingNewline: true)
    }
}

enum FileDescriptorOutput {
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
