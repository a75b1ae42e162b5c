import Foundation
import Testing

@testable import PDSAuth

/// Nicolas Seriot's JSONTestSuite (`Fixtures/JSONTestSuite/`, its `test_parsing` files): every
/// `y_` document is accepted by `JSONText`, every `n_` one refused, and each `i_` one (where
/// RFC 8259 leaves the choice to the parser) gets the verdict listed here with its reason.
/// An accepted document's `compact`, `pretty` and `prettyForTerminal` are the same value.
@Suite struct JSONTestSuiteTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("JSONTestSuite")

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    /// JSONText relays numbers as written: grammar only, no range.
    static let numbers = "a number is relayed as written, whatever its size (RFC 8259 §6 leaves range to the parser)"
    /// And escapes as written.
    static let surrogates = "a lone surrogate escape is valid grammar (RFC 8259 §8.2); relayed as written, U+FFFD when decoded"
    /// But bytes must be UTF-8 (so the relayed text is a Swift `String`).
    static let utf8 = "text must be well-formed UTF-8 (RFC 8259 §8.1): ill-formed bytes are refused, not repaired"

    /// The implementation-defined cases: accepted or not, and why.
    static let implementationDefined: [String: (accepted: Bool, reason: String)] = [
        "i_number_double_huge_neg_exp.json": (true, numbers),
        "i_number_huge_exp.json": (true, numbers),
        "i_number_neg_int_huge_exp.json": (true, numbers),
        "i_number_pos_double_huge_exp.json": (true, numbers),
        "i_number_real_neg_overflow.json": (true, numbers),
        "i_number_real_pos_overflow.json": (true, numbers),
        "i_number_real_underflow.json": (true, numbers),
        "i_number_too_big_neg_int.json": (true, numbers),
        "i_number_too_big_pos_int.json": (true, numbers),
        "i_number_very_big_negative_int.json": (true, numbers),
        "i_object_key_lone_2nd_surrogate.json": (true, surrogates),
        "i_string_1st_surrogate_but_2nd_missing.json": (true, surrogates),
        "i_string_1st_valid_surrogate_2nd_invalid.json": (true, surrogates),
        "i_string_incomplete_surrogate_and_escape_valid.json": (true, surrogates),
        "i_string_incomplete_surrogate_pair.json": (true, surrogates),
        "i_string_incomplete_surrogates_escape_valid.json": (true, surrogates),
        "i_string_invalid_lonely_surrogate.json": (true, surrogates),
        "i_string_invalid_surrogate.json": (true, surrogates),
        "i_string_inverted_surrogates_U+1D11E.json": (true, surrogates),
        "i_string_lone_second_surrogate.json": (true, surrogates),
        "i_string_UTF-8_invalid_sequence.json": (false, utf8),
        "i_string_UTF8_surrogate_U+D800.json": (false, utf8),
        "i_string_invalid_utf-8.json": (false, utf8),
        "i_string_iso_latin_1.json": (false, utf8),
        "i_string_lone_utf8_continuation_byte.json": (false, utf8),
        "i_string_not_in_unicode_range.json": (false, utf8),
        "i_string_overlong_sequence_2_bytes.json": (false, utf8),
        "i_string_overlong_sequence_6_bytes.json": (false, utf8),
        "i_string_overlong_sequence_6_bytes_null.json": (false, utf8),
        "i_string_truncated-utf-8.json": (false, utf8),
        "i_string_UTF-16LE_with_BOM.json": (false, "UTF-8 only (RFC 8259 §8.1): UTF-16 is refused"),
        "i_string_utf16BE_no_BOM.json": (false, "UTF-8 only (RFC 8259 §8.1): UTF-16 is refused"),
        "i_string_utf16LE_no_BOM.json": (false, "UTF-8 only (RFC 8259 §8.1): UTF-16 is refused"),
        "i_structure_UTF-8_BOM_empty_object.json": (false, "a byte order mark is not JSON text (RFC 8259 §8.1: must not be added)"),
        "i_structure_500_nested_arrays.json": (true, "500 levels are within JSONText.maxDepth (512)"),
    ]

    @Test func theWholeSuiteIsHere() {
        #expect(Self.names.filter { $0.hasPrefix("y_") }.count == 95)
        #expect(Self.names.filter { $0.hasPrefix("n_") }.count == 188)
        #expect(Set(Self.names.filter { $0.hasPrefix("i_") }) == Set(Self.implementationDefined.keys), "every i_ case has a verdict")
    }

    @Test(arguments: names) func verdict(name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let expected = name.hasPrefix("y_") || (name.hasPrefix("i_") && Self.implementationDefined[name]?.accepted == true)
        let text = JSONText(bytes)
        #expect((text != nil) == expected, "\(name) \(text == nil ? "refused" : "accepted")")
        if let text { JSONTextChecks.expectRelayed(text, name) }
    }
}
