import Testing

@testable import PDSAuth

/// Paste-back input: whatever a user copies from a browser's address bar (or a code alone).
@Suite struct PastedAnswerTests {
    @Test func fullURLQueryAndFragmentAreRead() throws {
        let url = PastedAnswer.parse("  http://127.0.0.1:8765/callback?code=c%2B1&state=s-1#_=_ \n")
        #expect(url == .redirect(CallbackParameters(code: "c+1", state: "s-1")))
        #expect(PastedAnswer.parse("code=abc&state=xyz") == .redirect(CallbackParameters(code: "abc", state: "xyz")))
        #expect(
            PastedAnswer.parse("http://localhost/cb?error=access_denied&error_description=no+way&state=s")
                == .redirect(CallbackParameters(state: "s", error: "access_denied", errorDescription: "no way")))
    }

    /// `?`, `&`, `=` and `#` followed by a combining mark (U+0335) are single grapheme
    /// clusters; a URL parser still sees the delimiter byte, and so must we.
    @Test func delimitersFollowedByCombiningMarksStillDelimit() {
        let mark = "\u{335}"
        #expect(PastedAnswer.parse("http://127.0.0.1:8765/callback?\(mark)x=1&state=s") == .redirect(CallbackParameters(state: "s")))
        #expect(PastedAnswer.parse("http://h/cb?code=c&\(mark)=2&state=s#\(mark)") == .redirect(CallbackParameters(code: "c", state: "s")))
        #expect(FormEncoding.decode("code=\(mark)&state=s").map { $0.1 } == [mark, "s"])
        #expect(FormEncoding.decode("a&\(mark)b=\(mark)").map { $0.0 } == ["a", "\(mark)b"])
        #expect(PastedAnswer.parse("code&\(mark)") == nil, "no `=` and no `?`: not a query, and not VSCHAR")
    }

    @Test func bareCodeIsACode() {
        #expect(PastedAnswer.parse("Ab3.dE_f-9~x") == .code("Ab3.dE_f-9~x"))
    }

    @Test(arguments: [
        "", "   ", "two words", "http://127.0.0.1:8765/callback", "https://example.com/?foo=bar",
        "tab\tinside", "caf\u{E9}", String(repeating: "a", count: CallbackParameters.maxValueLength + 1),
        "http://h/?code=" + String(repeating: "a", count: CallbackParameters.maxQueryLength),
    ])
    func nonsenseIsRefused(_ text: String) {
        #expect(PastedAnswer.parse(text) == nil, "\(text.prefix(40))")
    }

    @Test func linesAreSplitAndBounded() {
        var splitter = LineSplitter(maxLineLength: 8)
        #expect(splitter.feed(Array("one\r\ntw".utf8)[...]) == ["one"])
        #expect(splitter.feed(Array("o\n0123456789abcdef\nend".utf8)[...]) == ["two", "012345678"])
        #expect(splitter.finish() == "end")
        #expect(splitter.finish() == nil)
    }
}
