/// The JSONText fuzzer's oracle: a second, deliberately different reader of RFC 8259 JSON
/// (iterative with an explicit stack where `JSONScanner` recurses; strings as UTF-16 code
/// units where it builds `String`s; its own number automaton), giving the value as a tree
/// that keeps everything the relay promises to keep: members in order with repeats, number
/// texts as written, strings with escapes resolved (so `\u202e` and a raw U+202E are the
/// same string) and lone surrogates kept as they are.
indirect enum JSONTree: Equatable {
    case object([Member])
    case array([JSONTree])
    case string([UInt16])
    case number(String)
    case literal(String)

    struct Member: Equatable {
        let key: [UInt16]
        let value: JSONTree
    }

    /// A string as Swift text: lone surrogates become U+FFFD, as `JSONText.member` keys do.
    static func text(_ units: [UInt16]) -> String { String(decoding: units, as: UTF16.self) }

    /// True when a string anywhere in the value holds a surrogate that is not half of a pair.
    var hasLoneSurrogate: Bool {
        switch self {
        case .object(let members): members.contains { Self.isLone($0.key) || $0.value.hasLoneSurrogate }
        case .array(let elements): elements.contains { $0.hasLoneSurrogate }
        case .string(let units): Self.isLone(units)
        case .number, .literal: false
        }
    }

    /// True when an object anywhere in the value names a key twice.
    var hasRepeatedKey: Bool {
        switch self {
        case .object(let members): Set(members.map(\.key)).count < members.count || members.contains { $0.value.hasRepeatedKey }
        case .array(let elements): elements.contains { $0.hasRepeatedKey }
        case .string, .number, .literal: false
        }
    }

    private static func isLone(_ units: [UInt16]) -> Bool {
        var index = 0
        while index < units.count {
            let unit = units[index]
            if UTF16.isLeadSurrogate(unit), index + 1 < units.count, UTF16.isTrailSurrogate(units[index + 1]) {
                index += 2
                continue
            }
            if UTF16.isLeadSurrogate(unit) || UTF16.isTrailSurrogate(unit) { return true }
            index += 1
        }
        return false
    }
}

/// Reads one JSON document; also reports how deeply it nests (no bound: nothing recurses).
struct JSONReferenceReader {
    private let bytes: [UInt8]
    /// Read as swift-foundation's `JSONDecoder` does: the value of a key repeated in an object
    /// is only skipped over (strings and keys to the closing quote, numbers as runs of
    /// `0-9 . e E + -`), its structure checked.
    private let lenient: Bool
    /// While skipping a repeated key's value: the stack height of the object holding it.
    private var skipping: Int?
    private var index = 0
    private(set) var depth = 0

    init(_ bytes: [UInt8], lenient: Bool = false) {
        self.bytes = bytes
        self.lenient = lenient
    }

    /// An open container and what it holds so far.
    private enum Open {
        case array([JSONTree])
        case object([JSONTree.Member], key: [UInt16])
    }

    mutating func document() -> JSONTree? {
        var open: [Open] = []
        while true {
            // Expecting a value (at the start, after `[`, `,` or `:`).
            space()
            guard index < bytes.count else { return nil }
            var value: JSONTree
            if bytes[index] == 0x5B || bytes[index] == 0x7B {
                let byte = bytes[index]
                index += 1
                depth = max(depth, open.count + 1)
                space()
                if byte == 0x5B {
                    if take(0x5D) {
                        value = .array([])
                    } else {
                        open.append(.array([]))
                        continue
                    }
                } else {
                    if take(0x7D) {
                        value = .object([])
                    } else {
                        guard let key = key() else { return nil }
                        open.append(.object([], key: key))
                        continue
                    }
                }
            } else {
                guard let scalar = scalar() else { return nil }
                value = scalar
            }
            // A value is complete: add it to its container, closing containers as they end.
            while let top = open.popLast() {
                if skipping == open.count + 1 { skipping = nil }
                space()
                if case .array(var elements) = top {
                    elements.append(value)
                    if take(0x2C) {
                        open.append(.array(elements))
                        break
                    }
                    guard take(0x5D) else { return nil }
                    value = .array(elements)
                } else if case .object(var members, let name) = top {
                    members.append(JSONTree.Member(key: name, value: value))
                    if take(0x2C) {
                        space()
                        guard let key = key() else { return nil }
                        open.append(.object(members, key: key))
                        if lenient, members.contains(where: { $0.key == key }), skipping == nil { skipping = open.count }
                        break
                    }
                    guard take(0x7D) else { return nil }
                    value = .object(members)
                }
            }
            if open.isEmpty {
                space()
                return index == bytes.count ? value : nil
            }
        }
    }

    /// A string, number or literal; nil when there is none.
    private mutating func scalar() -> JSONTree? {
        let byte = bytes[index]
        if let word = ["true", "false", "null"].first(where: { bytes[index...].starts(with: $0.utf8) }) {
            index += word.utf8.count
            return .literal(word)
        }
        if byte == 0x22 {
            index += 1
            return skipping == nil ? stringBody().map(JSONTree.string) : skipString()
        }
        if skipping != nil, byte == 0x2D || (0x30...0x39).contains(byte) {
            while index < bytes.count, [0x2B, 0x2D, 0x2E, 0x45, 0x65].contains(bytes[index]) || (0x30...0x39).contains(bytes[index]) {
                index += 1
            }
            return .number("")
        }
        return number().map(JSONTree.number)
    }

    /// A string skipped over, as the decoder skips it: to the closing quote, past escapes.
    private mutating func skipString() -> JSONTree? {
        while let byte = next() {
            if byte == 0x22 { return .string([]) }
            if byte == 0x5C, next() == 0x75 { index += 4 }
        }
        return nil
    }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        index += 1
        return bytes[index - 1]
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// RFC 8259 §2: space, tab, line feed, carriage return; nothing else.
    private mutating func space() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// `"key"` then `:`.
    private mutating func key() -> [UInt16]? {
        guard take(0x22), let key = skipping == nil ? stringBody() : skipString().map({ _ in [] }) else { return nil }
        space()
        return take(0x3A) ? key : nil
    }

    /// After the opening quote: the string's UTF-16 code units, up to and past the closing quote.
    private mutating func stringBody() -> [UInt16]? {
        var units: [UInt16] = []
        var run = index
        func flush(_ end: Int) -> Bool {
            // Raw text must be well-formed UTF-8 (RFC 8259 §8.1).
            let failed = transcode(bytes[run..<end].makeIterator(), from: UTF8.self, to: UTF16.self, stoppingOnError: !lenient) { units.append($0) }
            return lenient || !failed
        }
        while let byte = next() {
            switch byte {
            case 0x22:
                return flush(index - 1) ? units : nil
            case 0x5C:
                guard flush(index - 1), let escaped = next() else { return nil }
                switch escaped {
                case 0x22, 0x5C, 0x2F: units.append(UInt16(escaped))
                case 0x62: units.append(0x08)
                case 0x66: units.append(0x0C)
                case 0x6E: units.append(0x0A)
                case 0x72: units.append(0x0D)
                case 0x74: units.append(0x09)
                case 0x75:
                    var unit: UInt16 = 0
                    for _ in 0..<4 {
                        guard let digit = next().flatMap(Self.hexDigit) else { return nil }
                        unit = unit << 4 | digit
                    }
                    units.append(unit)
                default: return nil
                }
                run = index
            case 0x00...0x1F:
                return nil
            default:
                continue
            }
        }
        return nil
    }

    private static func hexDigit(_ byte: UInt8) -> UInt16? {
        switch byte {
        case 0x30...0x39: UInt16(byte - 0x30)
        case 0x41...0x46: UInt16(byte - 0x41 + 10)
        case 0x61...0x66: UInt16(byte - 0x61 + 10)
        default: nil
        }
    }

    /// RFC 8259 §6 as an automaton over the bytes; the text as written.
    private mutating func number() -> String? {
        enum State { case start, minus, zero, integer, point, fraction, exponent, sign, power }
        var state = State.start
        let start = index
        scan: while index < bytes.count {
            let byte = bytes[index]
            let digit = (0x30...0x39).contains(byte)
            switch (state, byte) {
            case (.start, 0x2D): state = .minus
            case (.start, 0x30), (.minus, 0x30): state = .zero
            case (.start, _) where digit, (.minus, _) where digit: state = .integer
            case (.integer, _) where digit: state = .integer
            case (.zero, 0x2E), (.integer, 0x2E): state = .point
            case (.point, _) where digit, (.fraction, _) where digit: state = .fraction
            case (.zero, 0x45), (.zero, 0x65), (.integer, 0x45), (.integer, 0x65), (.fraction, 0x45), (.fraction, 0x65): state = .exponent
            case (.exponent, 0x2B), (.exponent, 0x2D): state = .sign
            case (.exponent, _) where digit, (.sign, _) where digit, (.power, _) where digit: state = .power
            default: break scan
            }
            index += 1
        }
        guard [.zero, .integer, .fraction, .power].contains(state) else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
