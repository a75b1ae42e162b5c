/// JSON as text, for relaying what a server sent without changing it: validation,
/// re-indentation and access to top-level members, all on the bytes themselves. Member
/// order and number spellings are kept exactly (decoding into Swift values would reorder
/// objects and round 64-bit integers through `Double`). RFC 8259 grammar; nesting is
/// bounded so hostile input cannot exhaust the stack.
public struct JSONText: Sendable {
    public let bytes: [UInt8]
    /// The value's range in `bytes`, and for a top-level object its members' ranges.
    let root: Range<Int>
    let members: [(key: String, value: Range<Int>)]

    public static let maxDepth = 512

    /// Nil unless `bytes` is exactly one JSON value (surrounding white space allowed).
    public init?(_ bytes: some Collection<UInt8>) {
        var scanner = JSONScanner(Array(bytes))
        guard let root = scanner.document() else { return nil }
        self.bytes = scanner.bytes
        self.root = root
        self.members = scanner.topMembers
    }

    public var isObject: Bool { bytes[root.lowerBound] == UInt8(ascii: "{") }
    public var isArray: Bool { bytes[root.lowerBound] == UInt8(ascii: "[") }

    /// The raw text of the top-level member `key` (the first, if repeated).
    public func member(_ key: String) -> [UInt8]? {
        members.first { $0.key == key }.map { Array(bytes[$0.value]) }
    }

    /// The value as compact text: insignificant white space removed, nothing else changed.
    public var compact: String { JSONWriter(bytes, indent: nil).write(root) }

    /// The value indented by two spaces, one member or element per line.
    public var pretty: String { JSONWriter(bytes, indent: "  ").write(root) }

    /// `pretty`, with every character inside strings that a terminal could act on (C1
    /// controls, DEL, bidi and other format characters) written as a `\uXXXX` escape: the
    /// same JSON value, safe to show.
    public var prettyForTerminal: String {
        var writer = JSONWriter(bytes, indent: "  ")
        writer.escapesUnshowable = true
        return writer.write(root)
    }

    /// The raw texts of an array's elements; nil when the value is not an array.
    public var elements: [[UInt8]]? {
        guard isArray else { return nil }
        var scanner = JSONScanner(bytes)
        return scanner.elements(of: root)?.map { Array(bytes[$0]) }
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
        index = range.lowerBound + 1
        var result: [Range<Int>] = []
        skipSpace()
        if peek == UInt8(ascii: "]") { return [] }
        while true {
            skipSpace()
            guard let element = value(top: false) else { return nil }
            result.append(element)
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]")) ? result : nil
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

    /// A string; returns its decoded text (escapes resolved) or nil when malformed.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: raw, as: UTF8.self) else { return nil }
                scalars.append(contentsOf: text.unicodeScalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard let text = String(validating: raw, as: UTF8.self), let escaped = escape() else { return nil }
                scalars.append(contentsOf: text.unicodeScalars)
                scalars.append(escaped)
                raw.removeAll()
            case 0..<0x20:
                return nil
            default:
                raw.append(byte)
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
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            // A lone low surrogate is no character; JSON lets it through, text cannot hold it.
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default: return nil
        }
    }

    mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
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
    let indent: String?
    var escapesUnshowable = false
    private var output: [UInt8] = []

    init(_ bytes: [UInt8], indent: String?) {
        self.bytes = bytes
        self.indent = indent
    }

    func write(_ range: Range<Int>) -> String {
        var writer = self
        writer.output.reserveCapacity(range.count)
        var index = range.lowerBound
        writer.emit(&index, end: range.upperBound)
        return String(decoding: writer.output, as: UTF8.self)
    }

    private mutating func emit(_ index: inout Int, end: Int) {
        var level = 0
        var inString = false
        var emptyContainer = false
        while index < end {
            let byte = bytes[index]
            index += 1
            if inString {
                if escapesUnshowable, byte >= 0x7F, let scalar = scalar(at: index - 1), !Redaction.isShowable(scalar.value) {
                    for unit in String(scalar.value).utf16 {
                        let hex = String(unit, radix: 16)
                        output += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                    }
                    index += scalar.length - 1
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
    }

    /// The UTF-8 scalar starting at `offset` and its length in bytes (the input is valid UTF-8:
    /// the scanner checked it).
    private func scalar(at offset: Int) -> (value: Unicode.Scalar, length: Int)? {
        let lead = bytes[offset]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard offset + length <= bytes.count, let text = String(validating: bytes[offset..<offset + length], as: UTF8.self),
              let scalar = text.unicodeScalars.first else { return nil }
        return (scalar, length)
    }

    private func nextSignificant(_ from: Int) -> UInt8? {
        var index = from
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        output.append(0x0A)
        for _ in 0..<level { output.append(contentsOf: indent.utf8) }
    }
}
