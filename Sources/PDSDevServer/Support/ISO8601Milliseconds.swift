#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `expire_time` as the PDS Token API prints it: ISO 8601 in UTC with milliseconds,
/// e.g. `2019-09-01T06:57:48.813Z`.
enum ISO8601Milliseconds {
    static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
