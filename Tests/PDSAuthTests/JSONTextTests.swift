import Foundation
import Glibc
import Testing

@testable import PDSAuth

/// What `JSONText` promises beyond the grammar (JSONTestSuiteTests) for the untrusted answers
/// it relays (up to 32 MiB): a bounded stack, time linear in the input, re-indenting that
/// cannot multiply memory, lone surrogates relayed, and the same nesting bound as Foundation.
@Suite struct JSONTextTests {
    /// `depth` arrays, or objects (`{"a":{"a":{}}}`), one in another.
    static func nest(_ depth: Int, object: Bool = false) -> [UInt8] {
        let (open, close) = object ? (#"{"a":"#, "}") : ("[", "]")
        return Array((String(repeating: open, count: depth - 1) + (object ? "{}" : "[]") + String(repeating: close, count: depth - 1)).utf8)
    }

    /// 512 levels of the recursive scanner fit in a 512 KiB stack even unoptimised (they need
    /// about 350 KiB there, 60 KiB optimised): a sixteenth of the 8 MiB the main thread and
    /// Swift's cooperative threads get (`ulimit -s`), a quarter of glibc's 2 MiB when that is
    /// unlimited. Deeper input is refused at level 513, however deep it goes.
    @Test func nestingNeverExhaustsTheStack() {
        let verdicts = JSONTextChecks.onThread(stackSize: 512 << 10) {
            [false, true].flatMap { object in
                [512, 513, 100_000].map { depth in JSONText(Self.nest(depth, object: object))?.prettyForTerminal != nil }
            }
        }
        #expect(verdicts == [true, false, false, true, false, false])
    }

    /// The bound is Foundation's too: `JSONDecoder` and `JSONSerialization` accept 512 levels
    /// and refuse 513, so JSONText refuses no nesting the standard readers take.
    @Test func nestingBoundIsTheDecoders() {
        for object in [false, true] {
            for depth in [512, 513] {
                let bytes = Self.nest(depth, object: object)
                let decoded =
                    object
                    ? (try? JSONDecoder().decode(ObjectNest.self, from: Data(bytes))) != nil
                    : (try? JSONDecoder().decode(ArrayNest.self, from: Data(bytes))) != nil
                let serialized = (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil
                #expect(decoded == (depth <= JSONText.maxDepth) && serialized == decoded, "depth \(depth), objects: \(object)")
                #expect((JSONText(bytes) != nil) == decoded, "depth \(depth), objects: \(object)")
            }
        }
    }

    struct ArrayNest: Decodable {
        init(from decoder: any Decoder) throws {
            var elements = try decoder.unkeyedContainer()
            while !elements.isAtEnd { _ = try elements.decode(ArrayNest.self) }
        }
    }

    struct ObjectNest: Decodable {
        enum Key: CodingKey { case a }
        init(from decoder: any Decoder) throws {
            let members = try decoder.container(keyedBy: Key.self)
            if members.contains(.a) { _ = try members.decode(ObjectNest.self, forKey: .a) }
        }
    }

    /// Indenting a hostile nest would turn 1 MiB into 256 MiB (a line per level, each
    /// indented one step further); past `maxGrowth` times the input the text is compact,
    /// and an ordinary answer is still indented.
    @Test func indentingCannotMultiplyMemory() throws {
        let block = String(decoding: Self.nest(511), as: UTF8.self)
        let hostile = Array(("[" + Array(repeating: block, count: 1024).joined(separator: ",") + "]").utf8)
        guard let text = JSONText(hostile) else {
            Issue.record("512 levels refused")
            return
        }
        let bound = JSONText.maxGrowth * hostile.count + JSONText.growthAllowance
        for shown in [text.pretty, text.prettyForTerminal] {
            let compact = shown == text.compact
            #expect(shown.utf8.count <= bound && compact, "\(shown.utf8.count) bytes from \(hostile.count)")
        }
        let answer = try #require(JSONText(Array(#"{"items":[{"name":"a","size":1}],"next_marker":""}"#.utf8)))
        #expect(answer.pretty == "{\n  \"items\": [\n    {\n      \"name\": \"a\",\n      \"size\": 1\n    }\n  ],\n  \"next_marker\": \"\"\n}")
    }

    /// A lone surrogate escape is JSON (RFC 8259 §8.2): relayed as written, read as U+FFFD
    /// where a key is compared; an escape needs exactly four hex digits, no sign.
    @Test func escapesAreReadToTheLetter() throws {
        let text = try #require(JSONText(Array(#"{"\ud800":1,"b":"\udc00\ud83d\ude00"}"#.utf8)))
        #expect(text.member("\u{FFFD}") == Array("1".utf8))
        #expect(text.compact == #"{"\ud800":1,"b":"\udc00\ud83d\ude00"}"#)
        for bad in [#""\u+123""#, #""\u-000""#, #""\u12""#, #""\u 123""#, #""\ud800\u""#] {
            #expect(JSONText(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    /// Every operation pds-auth uses takes time linear in the input: 64 times the input takes
    /// about 64 times as long, for each shape that could hide a quadratic path. (Unoptimised,
    /// per-byte work hides some of a quadratic cost: at 16 times the input, the string
    /// decoding this test caught took 2.6 times too long, while a linear run on a loaded
    /// machine measured up to 2.4; at 64 times, a quadratic path is several times over the
    /// bound and noise is not. The small input is timed at its fastest of more runs, since
    /// a short run suffers most from a busy machine.)
    @Test func timeGrowsLinearly() throws {
        let shapes: [(name: String, make: (Int) -> String)] = [
            ("one long string with escapes", { "\"" + String(repeating: #"ab\n\u00e9\u202e"#, count: $0 / 18) + "\"" }),
            ("one long string with bidi and C1", { "\"" + String(repeating: "a\u{202E}\u{9B}é", count: $0 / 8) + "\"" }),
            ("many members", { n in "{" + (0..<n / 12).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}" }),
            (
                "many nests 512 deep",
                { n in
                    "[" + Array(repeating: String(decoding: Self.nest(511), as: UTF8.self), count: n / 1023).joined(separator: ",") + "]"
                }
            ),
            (
                "long numbers",
                { n in "[" + Array(repeating: String(repeating: "9", count: 1000) + ".5e-999", count: n / 1008).joined(separator: ",") + "]" }
            ),
        ]
        for shape in shapes {
            let small = Array(shape.make(1 << 14).utf8)
            let large = Array(shape.make(1 << 20).utf8)
            let size = Double(large.count) / Double(small.count)
            let time = try Self.fastest(large, runs: 2) / Self.fastest(small, runs: 8)
            #expect(time / size < 3, "\(shape.name): \(size)× the input took \(time)× the time")
        }
    }

    /// The fastest of `runs` runs of everything pds-auth does with an answer, in this
    /// thread's CPU time: the suite runs tests side by side on a small machine, and wall-clock
    /// time would count the moments other tests held the CPU (a long run is interrupted more
    /// often than the luckiest of several short ones, which skewed the ratio by the load).
    static func fastest(_ bytes: [UInt8], runs: Int) throws -> Duration {
        var best = Duration.seconds(3600)
        for _ in 0..<runs {
            let start = threadCPUTime()
            guard let text = JSONText(bytes) else { throw CancellationError() }
            _ = (text.compact, text.prettyForTerminal, text.elements?.count, text.member("k1"))
            best = min(best, threadCPUTime() - start)
        }
        return best
    }

    static func threadCPUTime() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }
}

/// Checks shared by the JSONText tests and the fuzz corpus replay (FuzzRegressionTests).
enum JSONTextChecks {
    /// A JSON value as JSONText's own accessors read it: members in order with repeats,
    /// strings as Unicode scalars (escapes resolved; no canonical equivalence), numbers and
    /// literals as written.
    indirect enum Value: Equatable {
        case object([Member])
        case array([Value])
        case string([Unicode.Scalar])
        case literal(String)
    }

    struct Member: Equatable {
        let key: String
        let value: Value
    }

    static func value(_ bytes: some Collection<UInt8>) -> Value? {
        guard let text = JSONText(bytes) else { return nil }
        if text.isObject {
            let members = text.members.map { member in value(text.bytes[member.value]).map { Member(key: member.key, value: $0) } }
            return members.contains(nil) ? nil : .object(members.compactMap { $0 })
        }
        if let elements = text.elements {
            let values = elements.map { value($0) }
            return values.contains(nil) ? nil : .array(values.compactMap { $0 })
        }
        let raw = Array(text.bytes[text.root])
        guard raw.first == UInt8(ascii: "\"") else { return .literal(String(decoding: raw, as: UTF8.self)) }
        var scanner = JSONScanner(raw)
        return scanner.string().map { .string(Array($0.unicodeScalars)) }
    }

    /// What the relay promises for an accepted document: `compact`, `pretty` and
    /// `prettyForTerminal` are the same value (to JSONText and, where it reads the input, to
    /// `JSONSerialization`); `compact` is what `pretty` compacts to; nothing a terminal acts
    /// on is left unescaped; re-indenting stays within its bound.
    static func expectRelayed(_ text: JSONText, _ name: String) {
        let original = value(text.bytes)
        let serialized = try? JSONSerialization.jsonObject(with: Data(text.bytes), options: .fragmentsAllowed) as? NSObject
        for (form, output) in [("compact", text.compact), ("pretty", text.pretty), ("prettyForTerminal", text.prettyForTerminal)] {
            let same = original != nil && value(Array(output.utf8)) == original
            #expect(same, "\(name): \(form) is another value")
            if let serialized {
                let again = try? JSONSerialization.jsonObject(with: Data(output.utf8), options: .fragmentsAllowed) as? NSObject
                let equal = again?.isEqual(serialized) == true
                #expect(equal, "\(name): \(form) reads differently in JSONSerialization")
            }
            let size = output.utf8.count
            #expect(size <= JSONText.maxGrowth * text.bytes.count + JSONText.growthAllowance, "\(name): \(form) has \(size) bytes")
        }
        let compacts = JSONText(Array(text.pretty.utf8))?.compact == text.compact
        #expect(compacts, "\(name): pretty does not compact to compact")
        let unsafe = text.prettyForTerminal.unicodeScalars.first { $0 != "\n" && !isShowable($0) }
        #expect(unsafe == nil, "\(name): prettyForTerminal shows U+\(String(unsafe?.value ?? 0, radix: 16))")
    }

    /// Unicode's list, not the library's: no controls, format characters (bidi, zero width)
    /// or line and paragraph separators.
    static func isShowable(_ scalar: Unicode.Scalar) -> Bool {
        ![.control, .format, .lineSeparator, .paragraphSeparator, .surrogate].contains(scalar.properties.generalCategory)
    }

    /// Runs `body` on a thread with a `stackSize`-byte stack and returns what it returned.
    static func onThread(stackSize: Int, _ body: @escaping @Sendable () -> [Bool]) -> [Bool] {
        let work = ThreadWork(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let started = pthread_create(
            &thread, &attributes,
            { raw in
                let work = Unmanaged<ThreadWork>.fromOpaque(raw!).takeRetainedValue()
                work.result = work.body()
                return nil
            }, Unmanaged.passRetained(work).toOpaque())
        precondition(started == 0, "no thread")
        pthread_join(thread, nil)
        return work.result
    }
}

/// What `JSONTextChecks.onThread` runs and what it returned.
private final class ThreadWork: @unchecked Sendable {
    // `result` is written by the thread before it ends and read after pthread_join: never at once.
    let body: @Sendable () -> [Bool]
    var result: [Bool] = []
    init(_ body: @escaping @Sendable () -> [Bool]) { self.body = body }
}
