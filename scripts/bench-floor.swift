// The floor for `pds-auth token` in scripts/bench: the least a static Swift program does to
// answer the same question. It reads $PDS_AUTH_HOME/credentials.json with plain read(2),
// decodes it with FoundationEssentials' JSONDecoder (as pds-auth does), picks the current
// profile (else the only one), checks that at least 300 s of validity remain, and prints the
// access token. No locking, permission checks, refresh or argument parsing: whatever
// pds-auth spends beyond this program is its own overhead.
// Built by scripts/bench with `swiftc -O -static-stdlib`.
//
// Built a second time with -DFULL_FOUNDATION: the same program with full Foundation (and so
// ICU) linked in, as pds-auth had it while swift-mustache (which imports Foundation) rendered
// its pages at run time. The two floors' difference is what full Foundation costs a program
// that does not use it, which is what any import of Foundation would bring back.
#if FULL_FOUNDATION
import Foundation
#else
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif

struct Profile: Decodable {
    var accessToken: String
    var expiresAt: Date?
}

struct CredentialsFile: Decodable {
    var version: Int
    var current: String?
    var profiles: [String: Profile]
}

func fail(_ message: String) -> Never {
    _ = ("bench-floor: " + message + "\n").withCString { write(2, $0, strlen($0)) }
    exit(1)
}

guard let home = getenv("PDS_AUTH_HOME") else { fail("PDS_AUTH_HOME is not set") }
let fd = open(String(cString: home) + "/credentials.json", O_RDONLY)
if fd < 0 { fail("cannot open credentials.json") }
var bytes = [UInt8]()
var buffer = [UInt8](repeating: 0, count: 65536)
while true {
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if count <= 0 { break }
    bytes.append(contentsOf: buffer[0..<count])
}
close(fd)

let decoder = JSONDecoder()
decoder.dateDecodingStrategy = .iso8601
guard let file = try? decoder.decode(CredentialsFile.self, from: Data(bytes)) else { fail("credentials.json is not readable") }
let name = file.current ?? (file.profiles.count == 1 ? file.profiles.keys.first : nil)
guard let name, let profile = file.profiles[name] else { fail("no current profile") }
guard let expiry = profile.expiresAt, expiry.timeIntervalSinceNow >= 300 else { fail("the token is not fresh") }
_ = (profile.accessToken + "\n").withCString { write(1, $0, strlen($0)) }
#if FULL_FOUNDATION
// Referenced (never run), so the linker keeps full Foundation as a library using it would.
if CommandLine.arguments.count > 99 { print(NSString(string: "x").length, Date().formatted(date: .long, time: .complete)) }
#endif
