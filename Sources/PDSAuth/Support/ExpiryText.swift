import FoundationEssentials

/// Human renderings of token expiry: `2026-11-24 19:57 UTC`, `in 42 min`, `expired 3 h ago`.
package enum ExpiryText {
    package static func absolute(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        // Not TimeZone(identifier: "UTC"): without full Foundation (ICU) that is nil.
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)) UTC"
    }

    package static func relative(_ date: Date, now: Date = Date()) -> String {
        // Clamped: a date from a hand-edited file must not trap the Double → Int conversion.
        let seconds = Int(max(-1e12, min(1e12, date.timeIntervalSince(now))))
        let span = duration(abs(seconds))
        return seconds >= 0 ? "in \(span)" : "expired \(span) ago"
    }

    package static func duration(_ seconds: Int) -> String {
        if seconds < 90 { return "\(seconds) s" }
        if seconds < 90 * 60 { return "\(seconds / 60) min" }
        if seconds < 48 * 3600 { return "\(seconds / 3600) h" }
        return "\(seconds / 86400) d"
    }
}
