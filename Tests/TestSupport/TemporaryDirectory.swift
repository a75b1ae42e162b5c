#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A private directory under the system temp dir, removed when the test is done.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init() {
        var template = Array((NSTemporaryDirectory() + "/pds-auth-test-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }
}

public func fileMode(_ path: String) -> mode_t {
    var info = stat()
    stat(path, &info)
    return info.st_mode & 0o777
}
