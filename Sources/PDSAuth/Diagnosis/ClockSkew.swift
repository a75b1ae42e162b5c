import FoundationEssentials

/// How far this machine's clock is from a server's, judged from the server's `Date` header
/// (RFC 9110 §6.6.1: the time the answer was generated, in whole seconds).
///
/// The header comes from the network: only the preferred format, IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7, exactly 29 characters) is read, and its
/// text is never shown — a hostile or broken value is "not a date", not an escape sequence in
/// a terminal. The obsolete RFC 850 and asctime forms are reported as unreadable.
package struct ClockSkew: Sendable, Equatable {
    /// Server time minus local time, in whole seconds: positive when this clock is behind.
    package var seconds: Int
    /// How much of that the measurement cannot tell apart from agreement: half the round
    /// trip, plus the second the header's resolution hides.
    package var uncertainty: Int

    /// JWT assertions are backdated by `--clock-skew`, 30 s by default (`JWTSettings`): a
    /// clock further off than that gets assertions refused, and expiry judged wrongly.
    package static let tolerance = 30

    /// The skew from a `Date` value seen on an answer to a request sent at `sent` and
    /// answered at `received` (both by this machine's clock); nil when it is no IMF-fixdate.
    package init?(dateHeader: String, sent: Date, received: Date) {
        guard let server = Self.parse(dateHeader) else { return nil }
        let middle = sent.timeIntervalSince1970 + received.timeIntervalSince(sent) / 2
        // The header truncates to the second: the server's time lay in [server, server + 1).
        let difference = server + 0.5 - middle
        seconds = Int(max(-1e12, min(1e12, difference.rounded())))
        uncertainty = Int((max(0, received.timeIntervalSince(sent)) / 2 + 1).rounded(.up))
    }

    /// Whether the clocks disagree by more than ``tolerance``, beyond what the measurement
    /// cannot resolve.
    package var isTooLarge: Bool { abs(seconds) - uncertainty > Self.tolerance }

    /// `this clock is 2 h behind the server`, `clocks agree (within 1 s)`.
    package var text: String {
        if abs(seconds) <= uncertainty { return "clocks agree (within \(uncertainty) s)" }
        let span = abs(seconds) < 90 ? "\(abs(seconds)) s" : "\(ExpiryText.duration(abs(seconds))) (\(abs(seconds)) s)"
        return "this clock is \(span) \(seconds > 0 ? "behind" : "ahead of") the server"
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Seconds since 1970 for an IMF-fixdate, nil for anything else.
    static func parse(_ text: String) -> TimeInterval? {
        let bytes = Array(text.utf8)
        guard bytes.count == 29, let string = String(bytes: bytes, encoding: .ascii) else { return nil }
        let parts = string.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), weekdays.contains(String(parts[0].dropLast())),
            parts[5] == "GMT", let day = number(parts[1], digits: 2), let month = months.firstIndex(of: String(parts[2])),
            let year = number(parts[3], digits: 4)
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = number(clock[0], digits: 2), let minute = number(clock[1], digits: 2),
            let second = number(clock[2], digits: 2), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysSince1970(year: year, month: month + 1, day: day)
        return TimeInterval(days * 86400 + hour * 3600 + minute * 60 + second)
    }

    private static func number(_ text: Substring, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
