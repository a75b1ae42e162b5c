import Foundation
import PDSAuthTestSupport
import Testing

@testable import PDSAuth

/// The QR encoder, held to an independent decoder: every symbol drawn here is written as an
/// image and read back with zbar (`zbarimg`, Debian's zbar-tools), which must return exactly
/// the bytes encoded. Also the terminal rendering: its half blocks are turned back into
/// modules and decoded the same way.
@Suite struct QRCodeTests {
    static func decode(_ modules: [[Bool]]) async throws -> String {
        let text = try await ZbarDecoder.decode(modules)
        #expect(text != nil, "zbarimg could not read the symbol")
        return text ?? ""
    }

    static func url(length: Int) -> String {
        let prefix = "https://idp.example.com/o/device/?user_code="
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789-_~.")
        return prefix + String((0..<max(0, length - prefix.count)).map { alphabet[($0 * 7 + $0 / 3) % alphabet.count] })
    }

    @Test(arguments: [1, 17, 46, 80, 134, 213, 271, 321, 500])
    func zbarReadsWhatIsEncoded(length: Int) async throws {
        let text = length == 1 ? "x" : Self.url(length: length)
        let code = try #require(QRCode(text: text))
        #expect(code.size == code.version * 4 + 17)
        let decoded = try await Self.decode(code.modules)
        #expect(decoded == text, "version \(code.version), level \(code.level), mask \(code.mask): \(decoded.debugDescription)")
    }

    /// Versions with and without version information, one and several blocks, both levels.
    @Test func smallestVersionAndLevel() throws {
        func fit(_ count: Int) -> String { QRCode.smallestFit(count: count).map { "\($0.0)-\($0.1 == .low ? "L" : "M")" } ?? "none" }
        #expect(fit(14) == "1-M" && fit(15) == "1-L" && fit(17) == "1-L" && fit(18) == "2-M", "M where it fits the version L needs")
        #expect(QRCode.byteCapacity(version: 10, level: .low) == 271 && QRCode.byteCapacity(version: 10, level: .medium) == 213)
        #expect(QRCode.byteCapacity(version: 40, level: .low) == 2953)
        #expect(QRCode(bytes: [UInt8](repeating: 0x41, count: 2954)) == nil)
    }

    /// Every mask makes a readable symbol, and the chosen one has the lowest penalty.
    @Test func everyMaskDecodesAndTheLowestPenaltyIsChosen() async throws {
        let text = Self.url(length: 90)
        let code = try #require(QRCode(text: text))
        var penalties: [Int] = []
        for mask in 0..<8 {
            var layout = QRLayout(version: code.version)
            layout.drawFunctionPatterns()
            layout.place(QRCode.codewords(Array(text.utf8), version: code.version, level: code.level))
            layout.applyMask(mask)
            layout.drawFormatBits(level: code.level, mask: mask)
            penalties.append(layout.penalty())
            #expect(try await Self.decode(layout.modules) == text, "mask \(mask)")
        }
        #expect(penalties[code.mask] == penalties.min(), "\(penalties)")
    }

    /// What the terminal shows, turned back into modules: light cells are drawn, dark ones blank.
    @Test(arguments: [false, true])
    func theTerminalRenderingDecodes(colour: Bool) async throws {
        let text = Self.url(length: 120)
        let code = try #require(QRCode(text: text))
        let quiet = 2
        let lines = code.terminalLines(quietZone: quiet, colour: colour)
        let cells = lines.map { colour ? String($0.dropFirst("\u{1B}[97;40m".count).dropLast("\u{1B}[0m".count)) : $0 }
        #expect(!cells.joined().unicodeScalars.contains { $0.value < 0x20 }, "no control characters inside a line")
        let rows = ZbarDecoder.modules(fromHalfBlocks: cells)
        let side = code.size + 2 * quiet
        let modules = rows.prefix(side).map { Array($0) }
        #expect(modules.count == side && modules.allSatisfy { $0.count == side })
        #expect(try await Self.decode(modules) == text)
    }

    @Test func reedSolomonMatchesTheStandardsExample() {
        // ISO/IEC 18004 Annex I.3: "01234567" at 1-M, data codewords and their 10 ECC codewords.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(
            ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }
}
