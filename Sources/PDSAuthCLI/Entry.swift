import Glibc
import PDSAuth

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
        let terminal = Terminal(environment: ["NO_COLOR": TokenFastPath.variable("NO_COLOR"), "TERM": TokenFastPath.variable("TERM")].compactMapValues { $0 })
        if let token = TokenFastPath.answer(CommandLine.arguments.dropFirst(), warn: { terminal.warn($0) }) {
            terminal.out(token)
            exit(0)
        }
        SignalRouter.block()
        // Detached: a plain Task would inherit main's main-actor isolation and wait for a
        // main queue that nothing drains (the main thread is parked, not in dispatchMain).
        Task.detached {
            await SignalRouter.start()
            await PDSAuthCommand.main()
            exit(0)
        }
        SignalRouter.park()
    }
}
