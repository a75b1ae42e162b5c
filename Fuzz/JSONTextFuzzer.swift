import FoundationEssentials

/// Fuzzes `JSONText`: the relay of untrusted JSON (`pds-auth api` answers, `--paginate` pages,
/// request bodies). The input is the document itself. Invariants:
/// - `JSONText` accepts exactly what the reference reader (`Fuzz/JSONReference.swift`)
///   accepts within `JSONText.maxDepth` levels: RFC 8259, well-formed UTF-8, lone surrogate
///   escapes allowed (the grammar allows them; RFC 8259 §8.2);
/// - swift-foundation's `JSONDecoder`, into an any-JSON value, agrees on every document
///   except where they are allowed to differ (see `requireDecoderAgrees`);
/// - `compact`, `pretty` and `prettyForTerminal` are JSON of the same value (members in the
///   same order, repeats kept, the same number texts and strings); `compact` has no white
///   space outside strings and is what `pretty` compacts to; `pretty` is stable;
/// - `prettyForTerminal` has no C0 (but line feeds), DEL, C1, bidi, format or separator
///   character: those are written as `\uXXXX` escapes; without them it equals `pretty`;
/// - re-indenting grows a document at most `JSONText.maxGrowth` times (plus a little);
/// - `isObject`, `isArray`, `member` and `elements` agree with the reference tree.
/// Nesting is bounded, so the recursive scanner cannot exhaust the stack: inputs nest up to
/// `max_len / 2` levels, far past the bound.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var reader = JSONReferenceReader(bytes)
    let tree = reader.document()
    let text = JSONText(bytes)
    let expected = tree != nil && reader.depth <= JSONText.maxDepth
    require(
        (text != nil) == expected,
        "JSONText \(text == nil ? "refused" : "accepted") a document the reference \(expected ? "accepts" : "refuses") (depth \(reader.depth))")
    requireDecoderAgrees(bytes, tree: tree, depth: reader.depth)
    guard let text, let tree else { return 0 }

    let compact = Array(text.compact.utf8)
    requireSameValue(compact, tree, "compact")
    require(JSONText(compact)?.compact.utf8.elementsEqual(compact) == true, "compact is not compact")

    let pretty = Array(text.pretty.utf8)
    requireSameValue(pretty, tree, "pretty")
    require(JSONText(pretty)?.compact.utf8.elementsEqual(compact) == true, "pretty does not compact to compact")
    require(JSONText(pretty)?.pretty.utf8.elementsEqual(pretty) == true, "pretty is not stable")
    require(pretty.count <= JSONText.maxGrowth * bytes.count + JSONText.growthAllowance, "pretty has \(pretty.count) bytes from \(bytes.count)")

    let shown = text.prettyForTerminal
    requireSameValue(Array(shown.utf8), tree, "prettyForTerminal")
    require(!shown.unicodeScalars.contains { $0 != "\n" && !isShowable($0) }, "prettyForTerminal shows \(shown.debugDescription)")
    let escaped = String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { !isShowable($0) && !["\n", "\r", "\t"].contains($0) }
    require(escaped || shown.utf8.elementsEqual(pretty), "prettyForTerminal differs from pretty with nothing to escape")
    require(
        shown.utf8.count <= JSONText.maxGrowth * bytes.count + JSONText.growthAllowance,
        "prettyForTerminal has \(shown.utf8.count) bytes from \(bytes.count)")

    requireAccessors(text, tree)
    return 0
}

/// Parsed again by the reference reader, `output` is `tree`.
func requireSameValue(_ output: [UInt8], _ tree: JSONTree, _ what: String) {
    var reader = JSONReferenceReader(output)
    require(reader.document() == tree, "\(what) is not the same value: \(String(decoding: output.prefix(300), as: UTF8.self).debugDescription)")
}

/// What a terminal cannot act on: no C0/C1 controls, DEL, format (bidi overrides, zero-width
/// characters), line or paragraph separators. Stated here from Unicode, not taken from the
/// library, so the library's own list is what is checked.
func isShowable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: false
    default: true
    }
}

func requireAccessors(_ text: JSONText, _ tree: JSONTree) {
    switch tree {
    case .object(let members):
        require(text.isObject && !text.isArray && text.elements == nil, "an object is not seen as one")
        for member in members {
            let key = JSONTree.text(member.key)
            guard let raw = text.member(key) else {
                fatalError("fuzz invariant violated: member \(key.debugDescription) is missing")
            }
            // The first member whose key reads as `key` (lone surrogates read as U+FFFD).
            let first = members.first { JSONTree.text($0.key) == key }!
            requireSameValue(raw, first.value, "member \(key.debugDescription)")
        }
    case .array(let elements):
        require(text.isArray && !text.isObject, "an array is not seen as one")
        guard let raws = text.elements else { fatalError("fuzz invariant violated: an array has no elements") }
        require(raws.count == elements.count, "\(raws.count) elements instead of \(elements.count)")
        for (raw, element) in zip(raws, elements) { requireSameValue(raw, element, "an element") }
        var streamed: [[UInt8]] = []
        require(
            text.forEachElement {
                streamed.append(Array($0))
                return true
            } && streamed == raws, "forEachElement differs from elements")
    default:
        require(!text.isArray && !text.isObject && text.elements == nil, "a scalar is seen as a container")
    }
}

/// Any JSON value, as swift-foundation's `JSONDecoder` reads it.
struct AnyJSON: Decodable {
    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            for key in object.allKeys { _ = try object.decode(AnyJSON.self, forKey: key) }
        } else if var array = try? decoder.unkeyedContainer() {
            while !array.isAtEnd { _ = try array.decode(AnyJSON.self) }
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { return }
            if (try? container.decode(Bool.self)) != nil { return }
            if (try? container.decode(String.self)) != nil { return }
            _ = try container.decode(Double.self)
        }
    }
}

/// Nesting beyond which the decoder is not asked: each level it probes for the wrong kind of
/// container costs time in proportion to the document, so a 512-level nest takes seconds.
/// `JSONTextTests.nestingBoundIsTheDecoders` checks the two bounds agree.
let decoderDepth = 64

/// `JSONDecoder` and `JSONText` agree on whether `bytes` is JSON (up to `decoderDepth`
/// levels; both refuse nesting past 512), except where they are allowed to differ, each exception stated as a property
/// of the input:
/// - the decoder refuses a lone surrogate escape; JSONText relays it (RFC 8259 §8.2 lets the
///   text through, meaning unspecified);
/// - the decoder refuses a number `Double` cannot hold (beyond ±1.8e308, or so small it
///   rounds to zero), and some zeros written with an exponent (`0e1`, `0.00e-3`; see
///   `decoderSeesZero`); JSONText keeps any number's text as written;
/// - the decoder skips one leading UTF-8 byte order mark (RFC 8259 §8.1 allows either) and
///   accepts one trailing comma in an array or object (not JSON); JSONText refuses both;
/// - the decoder reads input with a NUL among its first four bytes, or a UTF-16 byte order
///   mark, as UTF-16 or UTF-32 (RFC 4627 §3); JSONText reads UTF-8 only (RFC 8259 §8.1);
/// - of a key repeated in an object, the decoder reads the first value only and skips later
///   ones unchecked (strings to their closing quote, numbers as runs of `0-9 . e E + -`);
///   JSONText checks every byte. The reference reader's lenient mode skips the same way.
func requireDecoderAgrees(_ bytes: [UInt8], tree: JSONTree?, depth: Int) {
    guard depth <= decoderDepth else { return }
    let decoded = (try? JSONDecoder().decode(AnyJSON.self, from: Data(bytes))) != nil
    let accepted = tree != nil && depth <= JSONText.maxDepth
    if accepted, let tree, !tree.hasLoneSurrogate, !tree.hasNumberTheDecoderRefuses {
        require(decoded, "JSONDecoder refuses a document JSONText accepts")
    }
    guard decoded && !accepted else { return }
    if bytes.prefix(4).contains(0) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return }
    let unmarked = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    var lenient = JSONReferenceReader(withoutTrailingCommas(unmarked), lenient: true)
    require(lenient.document() != nil && lenient.depth <= JSONText.maxDepth, "JSONDecoder accepts a document JSONText refuses")
}

/// `bytes` without each comma that only white space separates from a closing bracket or
/// brace (outside strings).
func withoutTrailingCommas(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    var inString = false
    var escaped = false
    for (index, byte) in bytes.enumerated() {
        if inString {
            if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
        } else if byte == 0x22 {
            inString = true
        } else if byte == 0x2C, let next = bytes[(index + 1)...].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
            next == 0x5D || next == 0x7D
        {
            continue
        }
        output.append(byte)
    }
    return output
}

extension JSONTree {
    /// True when a number is one the decoder refuses (see `requireDecoderAgrees`).
    var hasNumberTheDecoderRefuses: Bool {
        switch self {
        case .object(let members): members.contains { $0.value.hasNumberTheDecoderRefuses }
        case .array(let elements): elements.contains { $0.hasNumberTheDecoderRefuses }
        case .number(let text):
            Double(text).map { !$0.isFinite || ($0 == 0 && !Self.decoderSeesZero(Array(text.utf8))) } ?? true
        case .string, .literal: false
        }
    }

    /// How swift-foundation's `JSONDecoder` tells a number written as zero from one that
    /// underflowed to zero (`isTrueZero` in FoundationEssentials/JSON/JSONDecoder.swift): up to
    /// the first `e`, a digit 1–9 means underflow. It reads the text in blocks of four bytes
    /// but the last `count % 4` bytes backwards, so in `0e1` or `0.00e-3` it meets an exponent
    /// digit before the `e` and refuses a zero (also JSONTestSuite's `y_number_0e1`).
    static func decoderSeesZero(_ text: [UInt8]) -> Bool {
        func verdict(_ byte: UInt8) -> Bool? {
            switch byte {
            case UInt8(ascii: "1")...UInt8(ascii: "9"): false
            case UInt8(ascii: "e"), UInt8(ascii: "E"): true
            default: nil
            }
        }
        let blocks = text.count / 4 * 4
        for byte in text[..<blocks] { if let seen = verdict(byte) { return seen } }
        for byte in text[blocks...].reversed() { if let seen = verdict(byte) { return seen } }
        return true
    }
}
