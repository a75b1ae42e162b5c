#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Replaces a file so that readers (and a crash at any instant) see either the old or
/// the new complete contents: write a temp file in the same directory (created 0600, so
/// the secret is never world-readable even briefly), fsync it, rename over the target,
/// fsync the directory so the rename itself survives power loss.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, directory: String) throws(PDSAuthError) {
        let temp = "\(directory)/.\(lastComponent(path)).tmp-\(SecureRandom.token(bytes: 9))"
        let descriptor = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("create a temporary file", path: temp) }
        var ok = data.withUnsafeBytes { writeAll(descriptor, $0) } && fsync(descriptor) == 0
        ok = close(descriptor) == 0 && ok
        guard ok, rename(temp, path) == 0 else {
            let error = failure("write the credentials file", path: path)
            unlink(temp)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/").last ?? "credentials"
    }

    static func failure(_ action: String, path: String) -> PDSAuthError {
        PDSAuthError(.credentialStore, code: "write_failed", "Could not \(action): \(String(cString: strerror(errno)))",
                     hint: "Check free space and permissions; the previous credentials are unchanged.", context: ["path": path])
    }
}
