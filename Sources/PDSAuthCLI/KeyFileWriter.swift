import Glibc
import PDSAuth

/// Writes a private key the way ssh-keygen does: created 0600, never world-readable.
enum KeyFileWriter {
    static func write(_ pem: String, to path: String) throws(PDSAuthError) {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PDSAuthError(.keyWriteFailed, "Cannot create the key file", details: ["path": path])
        }
        defer { close(descriptor) }
        let bytes = Array(pem.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw PDSAuthError(.keyWriteFailed, "Cannot write the key file", details: ["path": path])
        }
    }
}
