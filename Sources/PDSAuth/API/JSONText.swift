/// JSON as text, for relaying what a server sent without changing it: validation,
/// re-indentation and access to top-level members, all on the bytes themselves. Member
/// order and number spellings are kept exactly (decoding into Swift values would reorder
/// objects and round 64-bit integers through `Double`). RFC 8259 grammar in UTF-8 (§8.1),
/// lone surrogate escapes relayed as written (§8.2); nesting is bounded so hostile input
/// cannot exhaust the stack, and so is what re-indenting adds. Where JSONText and
/// `JSONDecoder` may differ is listed in Fuzz/JSONTextFuzzer.swift (`requireDecoderAgrees`).
package struct JSONText: Sendable {
    package let bytes: [UInt8]
    /// The value's range in `bytes`, and for a top-level object its members' ranges.
    let root: Range<Int>
    let members: [(key: String, value: Range<Int>)]

    package static let maxDepth = 512

    /// Indenting can multiply a document's size: each level of a deep nest adds a line indented
    /// one step further (512 levels in 1 KiB become 256 KiB). Re-indented text is at most this
    /// many times the original plus `growthAllowance` bytes; past that it is written compact.
    static let maxGrowth = 8
    static let growthAllowance = 64 << 10

    /// Nil unless `bytes` is exactly one JSON value (surrounding white space allowed).
    package init?(_ bytes: some Collection<UInt8>) {
        var scanner = JSONScanner(Array(bytes))
        guard let root = scanner.document() else { return nil }
        self.bytes = scanner.bytes
        self.root = root
        self.members = scanner.topMembers
    }

    package var isObject: Bool { bytes[root.lowerBound] == UInt8(ascii: "{") }
    package var isArray: Bool { bytes[root.lowerBound] == UInt8(ascii: "[") }

    /// The raw text of the top-level member `key` (the first, if repeated).
    package func member(_ key: String) -> [UInt8]? {
        members.first { $0.key == key }.map { Array(bytes[$0.value]) }
    }

    /// The value as compact text: insignificant white space removed, nothing else changed.
    package var compact: String { JSONWriter(bytes, indent: nil).write(root) }

    /// The value indented by two spaces, one member or element per line; `compact` when that
    /// would be more than `maxGrowth` times the original (a hostile nest).
    package var pretty: String { JSONWriter(bytes, indent: 2).write(root) }

    /// `pretty`, with every character inside strings that a terminal could act on (C1
    /// controls, DEL, bidi and other format characters, line and paragraph separators;
    /// C0 controls cannot occur unescaped) written as a `\uXXXX` escape: the same JSON
    /// value, safe to show.
    package var prettyForTerminal: String {
        var writer = JSONWriter(bytes, indent: 2)
        writer.escapesUnshowable = true
        return writer.write(root)
    }

    /// The raw texts of an array's elements; nil when the value is not an array.
    package var elements: [[UInt8]]? {
        guard isArray else { return nil }
        var scanner = JSONScanner(bytes)
        return scanner.elements(of: root)?.map { Array(bytes[$0]) }
    }

    /// Hands each element's raw text of an array to `body`, in order, until `body` returns
    /// false, without collecting them first (a page of millions of tiny elements would
    /// otherwise cost far more than its text). False when the value is not an array or
    /// `body` stopped.
    package func forEachElement(_ body: (ArraySlice<UInt8>) -> Bool) -> Bool {
        guard isArray else { return false }
        var scanner = JSONScanner(bytes)
        return scanner.elements(of: root) { body(bytes[$0]) } ?? false
    }
}

/// A recursive-descent validator that records where values are.
struct JSONScanner {
    let bytes: [UInt8]
    var index = 0
    var depth = 0
    var topMembers: [(key: String, value: Range<Int>)] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> Range<Int>? {
        skipSpace()
        guard let value = value(top: true) else { return nil }
        skipSpace()
        return index == bytes.count ? value : nil
    }

    mutating func elements(of range: Range<Int>) -> [Range<Int>]? {
        var result: [Range<Int>] = []
        return elements(of: range) {
            result.append($0)
            return true
        }.map { _ in result }
    }

    /// Scans the array at `range`, handing each element's range to `body` until it returns
    /// false: true when every element was handed over, false when `body` stopped, nil when
    /// the array is malformed.
    mutating func elements(of range: Range<Int>, _ body: (Range<Int>) -> Bool) -> Bool? {
        index = range.lowerBound + 1
        skipSpace()
        if peek == UInt8(ascii: "]") { return true }
        while true {
            skipSpace()
            guard let element = value(top: false) else { return nil }
            guard body(element) else { return false }
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]")) ? true : nil
        }
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    mutating func value(top: Bool) -> Range<Int>? {
        let start = index
        guard let byte = peek else { return nil }
        let ok: Bool
        switch byte {
        case UInt8(ascii: "{"): ok = object(top: top)
        case UInt8(ascii: "["): ok = array()
        case UInt8(ascii: "\""): ok = string() != nil
        case UInt8(ascii: "t"): ok = literal("true")
        case UInt8(ascii: "f"): ok = literal("false")
        case UInt8(ascii: "n"): ok = literal("null")
        default: ok = number()
        }
        return ok ? start..<index : nil
    }

    mutating func object(top: Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONText.maxDepth else { return false }
        index += 1
        skipSpace()
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipSpace()
            guard let key = string() else { return false }
            skipSpace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard let member = value(top: false) else { return false }
            if top { topMembers.append((key, member)) }
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    mutating func array() -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONText.maxDepth else { return false }
        index += 1
        skipSpace()
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            skipSpace()
            guard value(top: false) != nil else { return false }
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    /// A string; returns its decoded text (escapes resolved) or nil when malformed. The text
    /// is gathered as UTF-8 bytes and checked once at the end (an escape adds whole
    /// characters, so it cannot mend ill-formed bytes around it): appending to a
    /// `String.UnicodeScalarView` instead made a long string with escapes take quadratic time.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var text: [UInt8] = []
        var run = index
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                text += bytes[run..<index]
                index += 1
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                text += bytes[run..<index]
                index += 1
                guard let escaped = escape() else { return nil }
                UTF8.encode(escaped) { text.append($0) }
                run = index
            case 0..<0x20:
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    mutating func escape() -> Unicode.Scalar? {
        guard let byte = peek else { return nil }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return nil }
            return surrogatePair(after: unit) ?? Unicode.Scalar(unit) ?? "\u{FFFD}"
        default: return nil
        }
    }

    /// The character a high surrogate `\uXXXX` and the low one escaped after it stand for,
    /// consuming the second; nil (nothing consumed) when `high` is not half of such a pair.
    /// A lone surrogate is valid JSON text (RFC 8259 §7, §8.2) and is relayed as written;
    /// decoded (a member's key, a marker) it reads as U+FFFD, since text cannot hold it.
    mutating func surrogatePair(after high: UInt32) -> Unicode.Scalar? {
        let start = index
        guard (0xD800..<0xDC00).contains(high), consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")),
            let low = hex4(), (0xDC00..<0xE000).contains(low)
        else {
            index = start
            return nil
        }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    /// Exactly four hex digits (RFC 8259 §7): no sign, no fewer.
    mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        index += 4
        return value
    }

    mutating func literal(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
        index += utf8.count
        return true
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func number() -> Bool {
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {} else if !digits() { return false }
        if consume(UInt8(ascii: ".")), !digits() { return false }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if !digits() { return false }
        }
        return true
    }

    mutating func digits() -> Bool {
        let start = index
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index > start
    }
}

/// Writes a validated value back out, compact or indented, copying strings and numbers
/// byte for byte.
struct JSONWriter {
    let bytes: [UInt8]
    /// Spaces per level, or nil for compact text.
    var indent: Int?
    var escapesUnshowable = false
    private var output: [UInt8] = []

    init(_ bytes: [UInt8], indent: Int?) {
        self.bytes = bytes
        self.indent = indent
    }

    /// The value in `range`, indented if asked and the indented text stays within
    /// `JSONText.maxGrowth` (a hostile nest would otherwise turn 32 MiB into gigabytes),
    /// compact otherwise.
    func write(_ range: Range<Int>) -> String {
        var writer = self
        writer.output.reserveCapacity(range.count)
        var index = range.lowerBound
        let limit = indent == nil ? Int.max : JSONText.maxGrowth * range.count + JSONText.growthAllowance
        guard writer.emit(&index, end: range.upperBound, limit: limit) else {
            var compact = self
            compact.indent = nil
            return compact.write(range)
        }
        return String(decoding: writer.output, as: UTF8.self)
    }

    /// False as soon as the output exceeds `limit` bytes.
    private mutating func emit(_ index: inout Int, end: Int, limit: Int) -> Bool {
        var level = 0
        var inString = false
        var emptyContainer = false
        while index < end {
            guard output.count <= limit else { return false }
            let byte = bytes[index]
            index += 1
            if inString {
                if escapesUnshowable, byte >= 0x7F {
                    let (scalar, length) = scalar(at: index - 1)
                    if Redaction.isShowable(scalar) {
                        output += bytes[index - 1..<index - 1 + length]
                    } else {
                        appendEscape(scalar)
                    }
                    index += length - 1
                    continue
                }
                output.append(byte)
                if byte == UInt8(ascii: "\\") {
                    output.append(bytes[index])
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09:
                continue
            case UInt8(ascii: "\""):
                inString = true
                output.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                output.append(byte)
                level += 1
                emptyContainer = nextSignificant(index) == (byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                if !emptyContainer { newline(level) }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                level -= 1
                if !emptyContainer { newline(level) }
                emptyContainer = false
                output.append(byte)
            case UInt8(ascii: ","):
                output.append(byte)
                newline(level)
            case UInt8(ascii: ":"):
                output.append(byte)
                if indent != nil { output.append(0x20) }
            default:
                output.append(byte)
            }
        }
        return output.count <= limit
    }

    /// `\uXXXX` (lower-case hex), twice for a scalar beyond the BMP (a surrogate pair).
    private mutating func appendEscape(_ scalar: Unicode.Scalar) {
        UTF16.encode(scalar) { unit in
            output += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
            for shift in stride(from: 12, through: 0, by: -4) { output.append(Self.hexDigits[Int(unit >> UInt16(shift)) & 0xF]) }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The UTF-8 scalar starting at `offset` and its length in bytes. Only read inside strings,
    /// whose bytes the scanner checked are well-formed UTF-8: `offset` starts a scalar and the
    /// scalar is whole.
    private func scalar(at offset: Int) -> (Unicode.Scalar, length: Int) {
        let lead = bytes[offset]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        var value = UInt32(length == 1 ? lead : lead & (0x7F >> length))
        for next in bytes[offset + 1..<offset + length] { value = value << 6 | UInt32(next & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    private func nextSignificant(_ from: Int) -> UInt8? {
        var index = from
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
    }
}
