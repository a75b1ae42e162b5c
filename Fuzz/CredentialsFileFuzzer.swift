import FoundationEssentials

/// Fuzzes `CredentialsFile.decode(_:path:)`: the on-disk credentials file, which a user may
/// hand-edit, truncate or restore from an older or newer pds-auth.
///
/// Invariants: a decoded file has a version this build can read; re-encoding it and
/// decoding again gives an equal file (usable and unusable profiles alike, unknown members
/// kept), and encoding that gives the same bytes (a save never silently changes a profile
/// it did not touch); a refusal is one of the two documented errors, and never claims the
/// file is simply empty.
///
/// One exception, found by this fuzzer: the reader accepts fractional seconds
/// (`2020-01-01T00:00:00.250Z`) but the writer stores whole seconds, so such a hand-edited
/// time moves by under a second on the first save (then stays put). Nothing compares a
/// loaded profile with an in-memory one, so dates are compared to within a second.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let file: CredentialsFile
    do {
        file = try CredentialsFile.decode(bytes, path: "/fuzz/credentials.json")
    } catch {
        require(error.code == .credentialsCorrupt || error.code == .credentialsNewer, "unexpected error code \(error.code)")
        return 0
    }
    require(file.version <= CredentialsFile.currentVersion, "accepted format version \(file.version)")

    let encoded = file.encoded()
    let again: CredentialsFile
    do {
        again = try CredentialsFile.decode(encoded, path: "/fuzz/credentials.json")
    } catch {
        fatalError("fuzz invariant violated: a re-encoded file cannot be read: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
    }
    require(again == withDates(of: again, in: file), "re-encoded file decodes differently:\n\(String(decoding: encoded, as: UTF8.self))")
    require(again.unreadable == file.unreadable, "an unusable profile changed on a save")
    require(again.encoded() == encoded, "encoding is not stable across a save")
    return 0
}

/// `file` with each profile's times replaced by those in `other` where they are within a
/// second of each other: the precision the file format keeps.
func withDates(of other: CredentialsFile, in file: CredentialsFile) -> CredentialsFile {
    func close(_ a: Date?, _ b: Date?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a.timeIntervalSince(b)) < 1
    }
    var result = file
    for (name, profile) in file.profiles {
        guard let saved = other.profiles[name] else { continue }
        var adjusted = profile
        if close(profile.expiresAt, saved.expiresAt) { adjusted.expiresAt = saved.expiresAt }
        if close(profile.obtainedAt, saved.obtainedAt) { adjusted.obtainedAt = saved.obtainedAt }
        result.profiles[name] = adjusted
    }
    return result
}
