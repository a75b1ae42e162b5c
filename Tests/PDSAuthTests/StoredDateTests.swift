import FoundationEssentials
import Testing

@testable import PDSAuth

/// The credentials file's dates are read by a direct parser for the one form we write and by
/// Foundation's for every other; both must give the same instant.
@Suite struct StoredDateTests {
    @Test func agreesWithFoundationOnWhatWeWrite() throws {
        var generator = SystemRandomNumberGenerator()
        // 1970 to 2400 at whole seconds, plus the edges of months, leap days and centuries.
        var instants = (0..<5000).map { _ in Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0...13_569_465_599, using: &generator))) }
        instants += ["2000-02-29T23:59:59Z", "2100-02-28T00:00:00Z", "2100-03-01T00:00:00Z", "1972-12-31T23:59:59Z", "2400-02-29T12:00:00Z"]
            .map { try! Date($0, strategy: .iso8601) }
        for instant in instants {
            let text = instant.formatted(.iso8601)
            #expect(StoredDate.exactUTC(text) == instant, "\(text)")
        }
    }

    @Test(arguments: [
        "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00",
        "+024-01-01T00:00:00Z", "",
    ])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(StoredDate.exactUTC(text) == nil)
        // Foundation, the fallback, refuses them too: a refused date is an unusable profile.
        #expect(StoredDate.decode(text) == nil)
    }

    /// Impossible dates are not the fast path's to judge: they go to Foundation, which has
    /// always rolled them over (February 29th of 2023 is March 1st), so reading a
    /// hand-edited file gives what it gave before the fast path existed.
    @Test(arguments: [
        ("2023-02-29T00:00:00Z", "2023-03-01T00:00:00Z"), ("2100-02-29T00:00:00Z", "2100-03-01T00:00:00Z"),
        ("2024-04-31T00:00:00Z", "2024-05-01T00:00:00Z"), ("2024-01-01T24:00:00Z", "2024-01-02T00:00:00Z"),
        ("2024-01-01T00:60:00Z", "2024-01-01T01:00:00Z"), ("2024-01-01T00:00:60Z", "2024-01-01T00:01:00Z"),
    ])
    func impossibleDatesRollOverAsFoundationDoes(_ text: String, _ rolled: String) {
        #expect(StoredDate.exactUTC(text) == nil)
        #expect(StoredDate.decode(text) != nil && StoredDate.decode(text) == StoredDate.exactUTC(rolled))
    }

    @Test(arguments: ["0000-01-01T00:00:00Z", "2024-1-01T00:00:00ZZ"])
    func oddSpellingsAreNotTheFastPaths(_ text: String) {
        #expect(StoredDate.exactUTC(text) == nil)
    }

    /// Fractional seconds are not the written form: the fast path passes, Foundation reads it.
    @Test func fractionalSecondsGoToFoundation() throws {
        #expect(StoredDate.exactUTC("2033-05-18T03:33:20.500Z") == nil)
        #expect(try #require(StoredDate.decode("2033-05-18T03:33:20.500Z")).timeIntervalSince1970 == 2_000_000_000.5)
    }

    @Test(arguments: ["2033-05-18T11:33:20+08:00", "2033-05-17T22:33:20-05:00", "2033-05-18T03:33:20+00:00"])
    func otherSpellingsGoToFoundation(_ text: String) throws {
        #expect(StoredDate.exactUTC(text) == nil)
        #expect(try #require(StoredDate.decode(text)).timeIntervalSince1970 == 2_000_000_000)
    }
}
