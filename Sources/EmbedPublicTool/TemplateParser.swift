/// A page template as the generated code renders it: text, variables and sections. Comments
/// leave nothing behind.
indirect enum TemplateNode: Equatable {
    case text(String)
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}` (raw); `.` is the current value.
    case variable(String, escaped: Bool)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(String, inverted: Bool, [TemplateNode])
}

/// What the page compiler does not take: the pages need none of it, and each would need
/// run-time support (a partial a library, a lambda code) that the shipped binary lacks.
struct TemplateError: Error, CustomStringConvertible {
    var line: Int
    var column: Int
    var problem: String
    var description: String { "\(line):\(column): \(problem)" }
}

/// Parses the subset of Mustache the pages use, splitting text exactly where swift-mustache
/// (2.x, `Template+Parser.swift`) does, so the generated code renders the same bytes: the
/// same handling of "standalone" lines (a section, inverted-section or comment tag alone on
/// its line takes the line, its indentation and its line break with it), and the same
/// reading by `Character`. swift-mustache itself checks each template first (see
/// `main.swift`); this parser refuses, with a position, whatever it does not compile:
/// partials, inheritance, set delimiters, pragmas, transforms and dotted names.
struct TemplateParser {
    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        characters = Array(text)
    }

    static func parse(_ text: String) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(text)
        return try parser.parse(section: nil, newLine: true)
    }

    private static let nameCharacters = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")

    private var atEnd: Bool { position == characters.count }
    /// swift-mustache's `Parser.current()`: NUL past the end.
    private var current: Character { atEnd ? "\0" : characters[position] }

    /// One level: the whole template, or a section's body up to and including its closing tag.
    private mutating func parse(section: String?, newLine startsOnNewLine: Bool) throws(TemplateError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var newLine = startsOnNewLine
        var whiteSpaceBefore = ""
        func flushWhiteSpace() {
            if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
            whiteSpaceBefore = ""
        }
        while !atEnd {
            if newLine { whiteSpaceBefore = read { $0 == " " || $0 == "\t" } }
            let text = readUntilTagOrLineBreak()
            if current.isNewline {
                nodes.append(.text(whiteSpaceBefore + text + String(current)))
                newLine = true
                position += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                newLine = false
            }
            if atEnd { break }
            let tagStart = position - 2
            var standalone = false
            switch current {
            case "#", "^":
                let inverted = current == "^"
                position += 1
                let name = try readName(tagStart: tagStart)
                standalone = isStandalone(newLine)
                if !standalone { flushWhiteSpace() }
                let body = try parse(section: name, newLine: standalone)
                nodes.append(.section(name, inverted: inverted, body))
            case "/":
                position += 1
                let name = try readName(tagStart: tagStart)
                guard name == section else {
                    throw error(at: tagStart, "{{/\(name)}} closes no open section" + (section.map { " (open: \($0))" } ?? ""))
                }
                if !isStandalone(newLine) { flushWhiteSpace() }
                return nodes
            case "!":
                position += 1
                try skipComment(tagStart: tagStart)
                standalone = isStandalone(newLine)
            case "{", "&":
                let triple = current == "{"
                flushWhiteSpace()
                position += 1
                let name = try readName(tagStart: tagStart)
                if triple {
                    guard current == "}" else { throw error(at: tagStart, "{{{\(name)}} lacks its third closing brace") }
                    position += 1
                }
                nodes.append(.variable(name, escaped: false))
            case ">", "<", "$", "=", "%":
                throw error(at: tagStart, "{{\(current)…}} (partials, inheritance, delimiters, pragmas) is not supported by the page compiler")
            default:
                flushWhiteSpace()
                nodes.append(.variable(try readName(tagStart: tagStart), escaped: true))
            }
            newLine = standalone
        }
        if let section { throw error(at: position, "{{#\(section)}} is never closed") }
        return nodes
    }

    /// Text up to a line break (`\n` or `\r\n`, left unread) or past the next `{{`.
    private mutating func readUntilTagOrLineBreak() -> String {
        var text = ""
        while !atEnd {
            let character = characters[position]
            if character == "\n" || character == "\r\n" { break }
            if character == "{", position + 1 < characters.count, characters[position + 1] == "{" {
                position += 2
                break
            }
            text.append(character)
            position += 1
        }
        return text
    }

    private mutating func read(while accept: (Character) -> Bool) -> String {
        var text = ""
        while !atEnd, accept(characters[position]) {
            text.append(characters[position])
            position += 1
        }
        return text
    }

    /// A tag's name and its closing `}}`. Only plain names and `.` are compiled.
    private mutating func readName(tagStart: Int) throws(TemplateError) -> String {
        _ = read { $0.isWhitespace }
        let name = read { Self.nameCharacters.contains($0) }
        _ = read { $0.isWhitespace }
        guard readClosingDelimiter() else { throw error(at: tagStart, "a tag is not closed by }}") }
        let plain = name == "." || (!name.isEmpty && !name.contains(where: { "().*".contains($0) }))
        guard plain else {
            throw error(at: tagStart, "the name \"\(name)\" is not supported by the page compiler (only plain names and \".\")")
        }
        return name
    }

    private mutating func readClosingDelimiter() -> Bool {
        guard position + 1 < characters.count, characters[position] == "}", characters[position + 1] == "}" else { return false }
        position += 2
        return true
    }

    private mutating func skipComment(tagStart: Int) throws(TemplateError) {
        while !atEnd {
            if readClosingDelimiter() { return }
            position += 1
        }
        throw error(at: tagStart, "a comment is not closed by }}")
    }

    /// swift-mustache's `isStandalone`: the tag began its line (after indentation) and only
    /// spaces or tabs follow it before a line break, which is then consumed, or the end.
    private mutating func isStandalone(_ newLine: Bool) -> Bool {
        guard newLine else { return false }
        if atEnd { return true }
        var probe = position
        while probe < characters.count, characters[probe] == " " || characters[probe] == "\t" { probe += 1 }
        guard probe < characters.count, characters[probe].isNewline else { return false }
        position = probe + 1
        return true
    }

    private func error(at index: Int, _ problem: String) -> TemplateError {
        var line = 1
        var column = 1
        for character in characters[..<min(max(index, 0), characters.count)] {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return TemplateError(line: line, column: column, problem: problem)
    }
}
