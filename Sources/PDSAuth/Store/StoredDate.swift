import FoundationEssentials

/// Dates in the credentials file: RFC 3339 UTC to the second (`2033-05-18T03:33:20Z`), as
/// `JSONEncoder.DateEncodingStrategy.iso8601` writes them.
///
/// Reading is on `pds-auth token`'s path, so the exact form we write is read directly:
/// Foundation's ISO 8601 parser first builds a Gregorian calendar in the *system* time zone
/// (reading /etc/localtime and, with ICU linked, its zone tables), about a millisecond and
/// a megabyte for a command that should take a few. Any other spelling a person may have
/// typed (fractional seconds, an offset) goes to Foundation's parser, so nothing valid is
/// refused and the two readers agree (`StoredDateTests` holds them together).
enum StoredDate {
    static func decode(_ text: String) -> Date? {
        exactUTC(text) ?? (try? Date(text, strategy: .iso8601))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, or nil for anything else, including impossible dates such as
    /// February 30th: those go to Foundation, which rolls them over (to March 2nd), as it
    /// did before this fast path existed.
    static func exactUTC(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
            year >= 1, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(((days * 24 + hour) * 60 + minute) * 60 + second))
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar: `days_from_civil` from
    /// H. Hinnant's "chrono-Compatible Low-Level Date Algorithms". Years are counted from
    /// March, so the leap day is the last day of its year.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400  // y ≥ 0 here, so truncating division is floor division
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

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
