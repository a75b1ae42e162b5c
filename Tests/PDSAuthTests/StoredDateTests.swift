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

    @Test(arguments: ["2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z",
                      "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
                      "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "+024-01-01T00:00:00Z", "2033-05-18T03:33:20.500Z", "0000-01-01T00:00:00Z", "2024-1-01T00:00:00ZZ", ""])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(StoredDate.exactUTC(text) == nil)
        #expect(StoredDate.decode(text) == (try? Date(text, strategy: .iso8601)), "no stricter or looser than Foundation")
    }

    @Test(arguments: ["2033-05-18T11:33:20+08:00", "2033-05-17T22:33:20-05:00", "2033-05-18T03:33:20+00:00"])
    func otherSpellingsGoToFoundation(_ text: String) throws {
        #expect(StoredDate.exactUTC(text) == nil)
        let date = try #require(StoredDate.decode(text))
        #expect(date == (try Date(text, strategy: .iso8601)))
        #expect(date.timeIntervalSince1970 == 2_000_000_000)
    }
}
