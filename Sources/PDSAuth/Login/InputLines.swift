import Glibc
import PDSShared

/// Lines read from a file descriptor (the terminal, for paste-back) as an async stream, on
/// a thread of its own so a blocked read never holds a task. The input is untrusted: a line
/// longer than `maxLineLength` bytes is cut there (the parser then refuses it), so memory
/// stays bounded whatever is typed or piped in.
package enum InputLines {
    /// - Parameter onLine: runs as each line arrives, before it is handed on (a prompt that
    ///   must know its line was submitted).
    package static func stream(
        descriptor: Int32 = 0, maxLineLength: Int = 16 * 1024,
        onLine: @escaping @Sendable () -> Void = {}
    ) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        // The thread reads a copy of the descriptor and closes it when it is done: the
        // caller may close its own as soon as it stops listening, and a read that is still
        // under way can never land on a descriptor number reused for something else.
        let owned = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard owned >= 0 else {
            continuation.finish()
            return stream
        }
        let stopped = LockedValue(false)
        continuation.onTermination = { _ in stopped.set(true) }
        BlockingThread.start {
            defer { close(owned) }
            var reader = LineSplitter(maxLineLength: maxLineLength)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !stopped.value {
                // Poll with a short timeout so a finished sign-in releases this thread.
                var poller = pollfd(fd: owned, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 200)
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0 else { if ready < 0 { break } else { continue } }
                let count = read(owned, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                for line in reader.feed(buffer[..<count]) {
                    onLine()
                    continuation.yield(line)
                }
            }
            if let rest = reader.finish() { continuation.yield(rest) }
            continuation.finish()
        }
        return stream
    }
}

/// Splits bytes into lines (`\n`, with an optional `\r` before it), each bounded.
struct LineSplitter {
    let maxLineLength: Int
    private var current: [UInt8] = []

    init(maxLineLength: Int) { self.maxLineLength = maxLineLength }

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(take())
            } else if current.count <= maxLineLength {
                current.append(byte)
            }
        }
        return lines
    }

    /// What is left at end of input, if anything.
    mutating func finish() -> String? { current.isEmpty ? nil : take() }

    private mutating func take() -> String {
        if current.last == UInt8(ascii: "\r") { current.removeLast() }
        defer { current.removeAll(keepingCapacity: true) }
        return String(decoding: current, as: UTF8.self)
    }
}
