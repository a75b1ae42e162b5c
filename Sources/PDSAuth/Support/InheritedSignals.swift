import Glibc

/// Which of the signals pds-auth handles (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
/// SIGUSR2) this process was started with ignored: `nohup` ignores SIGHUP, and a shell
/// without job control starts a background job (`cmd &`) with SIGINT and SIGQUIT ignored.
/// By the long-standing Unix convention (POSIX `trap` for shells, every well-behaved
/// daemon) such a signal stays ignored: pds-auth neither traps it (`SignalRouter`) nor
/// resets it for the programs it starts (`ProcessSpawner`), so `nohup pds-auth exec -- job`
/// survives the terminal closing, as the job would on its own.
package enum InheritedSignals {
    /// The signal numbers, read once on first use: when `SignalRouter.block()` runs in
    /// `main`, before any other thread exists and before pds-auth changes any of these, so
    /// they are what the parent gave us. An array, not a `Set`: a `Set<Int32>` is a generic type
    /// used nowhere else, which the runtime first looks up by scanning the binary's protocol
    /// conformances (perf showed that scan here, in `login`'s start).
    package static let ignored: [Int32] = {
        // Only these: an ignored SIGPIPE, say, is no convention, and programs started with it
        // ignored misbehave, so children get SIGPIPE's default whatever we were given.
        [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2].filter { number in
            var action = sigaction()
            // SIG_IGN is the handler value 1 (<bits/signum-generic.h>).
            return sigaction(number, nil, &action) == 0 && unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1
        }
    }()
}
