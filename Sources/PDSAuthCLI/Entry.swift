import Dispatch
import Glibc

/// The process entry. Synchronous, so `pds-auth token` on a fresh token (what scripts call
/// in loops) is answered by `TokenFastPath` before argument-parser reflects over every
/// command and before the async runtime starts; everything else goes to `PDSAuthCommand`.
///
/// First, for every command: SIGPIPE is ignored (a closed stdout is exit 14, a peer closing
/// a TLS connection mid-write a network error), and descriptors 0–2 are made safe.
@main
enum Entry {
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        StandardStreams.secure()
        if TokenFastPath.answer(CommandLine.arguments.dropFirst()) { exit(0) }
        Task {
            await PDSAuthCommand.main()
            exit(0)
        }
        dispatchMain()
    }
}
