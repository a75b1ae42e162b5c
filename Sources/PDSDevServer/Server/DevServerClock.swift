#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the server reads the time: expiry of codes, tokens and assertions is decided
/// against it, and tests substitute a clock they can move instead of sleeping.
struct DevServerClock: Sendable {
    var now: @Sendable () -> Date

    static let system = DevServerClock { Date() }
}
