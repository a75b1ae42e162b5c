import NIOCore
import Synchronization

/// The open connections of one sign-in's listener (all its addresses), oldest first, and
/// whether each is busy with a request. When a new connection would exceed the capacity,
/// the oldest idle one is given up: a flood of idle or trickling connections cannot lock
/// the real browser out, and the listener never runs out of descriptors.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let serial: Int
        var busy: Bool
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var nextSerial = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Registers `channel`; returns the connection to close to make room, if any.
    func opened(_ channel: any Channel) -> (any Channel)? {
        state.withLock { state in
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, serial: state.nextSerial, busy: false)
            state.nextSerial += 1
            guard state.entries.count > capacity else { return nil }
            let victim = state.entries.values.filter { !$0.busy && $0.channel !== channel }.min { $0.serial < $1.serial }
            guard let victim else { return nil }
            state.entries[ObjectIdentifier(victim.channel)] = nil
            return victim.channel
        }
    }

    func setBusy(_ channel: any Channel, _ busy: Bool) {
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.busy = busy }
    }

    func closed(_ channel: any Channel) {
        state.withLock { _ = $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
