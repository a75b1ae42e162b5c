import Foundation
import Synchronization

@testable import PDSDevServer

/// A clock the test moves by hand, so expiry is tested without sleeping.
final class TestClock: Sendable {
    private let time: Mutex<Date>

    init(start: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        time = Mutex(start)
    }

    var now: Date {
        time.withLock { $0 }
    }

    func advance(seconds: Double) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var clock: DevServerClock {
        DevServerClock { [self] in now }
    }
}
