import FoundationEssentials
import Glibc
import PDSAuth

/// Where `import` waits for the sealed session: each non-empty line on stdin, or the first
/// line of `--from FILE` each time it is rewritten with a whole line, until `accept` takes
/// one; at most `timeout`. A line `accept` refuses (a half-copied paste, the wrong line) does
/// not end the wait: the session was removed where it came from and its key exists only in
/// this process, so ending here would lose it for good.
enum SealedInput {
    static func first<T: Sendable>(
        from path: String?, timeout: Duration, terminal: Terminal,
        accept: @escaping @Sendable (String) -> T?
    ) async throws(PDSAuthError) -> T {
        let wait = Task { () -> Result<T?, PDSAuthError> in
            if let path {
                do throws(PDSAuthError) { return .success(try await fromFile(path, accept: accept)) } catch { return .failure(error) }
            }
            return .success(await terminal.withLongLines { await fromStandardInput(accept: accept) })
        }
        let timedOut = LockedValue(false)
        let deadline = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            timedOut.set(true)
            wait.cancel()
        }
        let line = try await withTaskCancellationHandler {
            await wait.value
        } onCancel: {
            wait.cancel()
        }.get()
        deadline.cancel()
        guard let line else {
            if Task.isCancelled { throw PDSAuthError(.cancelled, "Interrupted; nothing was saved") }
            if timedOut.value {
                throw PDSAuthError(.importTimedOut, "No sealed session arrived within \(timeout.components.seconds) s; nothing was saved")
            }
            throw PDSAuthError(.sealedSessionInvalid, "Standard input ended without a sealed session; nothing was saved")
        }
        return line
    }

    /// The first non-empty line on stdin that `accept` takes; nil at end of input or when
    /// cancelled.
    static func fromStandardInput<T>(accept: (String) -> T?) async -> T? {
        for await line in InputLines.stream(descriptor: CommandIO.current.input, maxLineLength: SealedSession.maxLength) where !line.trimmed().isEmpty
        {
            if let accepted = accept(line) { return accepted }
        }
        return nil
    }

    /// The first non-empty line of a regular file of this user's, once one ends with a newline
    /// (the file may not exist yet, or still be being written), and again whenever that line
    /// changes, until `accept` takes one; nil when cancelled. A file of another user's
    /// (planted in a shared directory) is refused: it could hold their session.
    static func fromFile<T>(_ path: String, accept: (String) -> T?) async throws(PDSAuthError) -> T? {
        var tried: String?
        while !Task.isCancelled {
            if let data = try readRegularFile(path), let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                let lines = String(decoding: data[...newline], as: UTF8.self).split(separator: "\n")
                if let line = lines.first(where: { !$0.trimmed().isEmpty }).map(String.init), line != tried {
                    tried = line
                    if let accepted = accept(line) { return accepted }
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    /// The bytes of a regular file (not a link, FIFO or device) of bounded size; nil while there
    /// is none.
    private static func readRegularFile(_ path: String) throws(PDSAuthError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw refused("--from names a symbolic link", path) }
            return nil
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= SealedSession.maxLength + 2 else {
            throw refused("--from names something other than a regular file of at most 256 KiB", path)
        }
        guard info.st_uid == geteuid() else {
            throw refused("--from names a file of another user's (uid \(info.st_uid))", path)
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count >= 0 ? Array(bytes.prefix(count)) : nil
    }

    private static func refused(_ what: String, _ path: String) -> PDSAuthError {
        PDSAuthError(.sealedSessionInvalid, "\(what); nothing was saved", details: ["path": path])
    }
}
