import Glibc

/// Which of the signals pds-auth handles (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
/// SIGUSR2) this process was started with ignored: `nohup` ignores SIGHUP, and a shell
/// without job control starts a background job (`cmd &`) with SIGINT and SIGQUIT ignored.
/// By the long-standing Unix convention (POSIX `trap` for shells, every well-behaved
/// daemon) such a signal stays ignored: pds-auth neither traps it (`SignalRouter`) nor
/// resets it for the programs it starts (`ProcessSpawner`), so `nohup pds-auth exec -- job`
/// survives the terminal closing, as the job would on its own.
public enum InheritedSignals {
    /// Read once, on first use. `Entry.main` uses it first thing, before pds-auth ignores
    /// SIGPIPE itself and before any other thread exists, so it is what the parent gave us.
    public static let ignored: Set<Int32> = {
        var ignored: Set<Int32> = []
        // Only these: an ignored SIGPIPE, say, is no convention, and programs started with it
        // ignored misbehave, so children get SIGPIPE's default whatever we were given.
        for number in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2] {
            var action = sigaction()
            guard sigaction(number, nil, &action) == 0 else { continue }
            // SIG_IGN is the handler value 1 (<bits/signum-generic.h>).
            if unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1 { ignored.insert(number) }
        }
        return ignored
    }()
}
