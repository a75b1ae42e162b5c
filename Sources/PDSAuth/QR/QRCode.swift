/// A QR code (ISO/IEC 18004:2015) of some bytes, in byte mode at error correction level M
/// (or L when M needs a larger symbol), for showing a device sign-in's
/// `verification_uri_complete` on a terminal (RFC 8628 §3.3.1). The smallest version (1–40)
/// that holds the data is used, and of the eight masks the one with the lowest penalty
/// (§7.8.3). The layout follows the standard's function patterns, codeword placement and
/// Reed–Solomon blocks (`QRLayout.swift`; `ReedSolomon` at the end of this file); every test decodes what
/// is drawn with an independent decoder (zbar).
package struct QRCode: Sendable, Equatable {
    package enum Level: Sendable, Equatable {
        case low, medium

        /// The two format bits (§7.9.1 Table 12): L = 01, M = 00.
        var formatBits: Int { self == .low ? 1 : 0 }
        var index: Int { self == .low ? 0 : 1 }
    }

    package let version: Int
    package let level: Level
    package let mask: Int
    /// `modules[y][x]`, true for dark; `size` × `size`.
    package let modules: [[Bool]]

    package var size: Int { modules.count }

    /// Nil when the data does not fit even version 40 (2,953 bytes at level L).
    package init?(bytes: [UInt8]) {
        guard let (version, level) = Self.smallestFit(count: bytes.count) else { return nil }
        let codewords = Self.codewords(bytes, version: version, level: level)
        var layout = QRLayout(version: version)
        layout.drawFunctionPatterns()
        layout.place(codewords)
        var best: (mask: Int, penalty: Int, modules: [[Bool]])?
        for mask in 0..<8 {
            var candidate = layout
            candidate.applyMask(mask)
            candidate.drawFormatBits(level: level, mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (mask, penalty, candidate.modules) }
        }
        self.version = version
        self.level = level
        self.mask = best!.mask
        self.modules = best!.modules
    }

    package init?(text: String) { self.init(bytes: Array(text.utf8)) }

    /// M when it fits the smallest version L needs, else L (§7.5.1: more correction for free).
    static func smallestFit(count: Int) -> (Int, Level)? {
        for version in 1...40 where count <= byteCapacity(version: version, level: .low) {
            return (version, count <= byteCapacity(version: version, level: .medium) ? .medium : .low)
        }
        return nil
    }

    /// Bytes a byte-mode segment can hold: data bits less the mode and count fields.
    static func byteCapacity(version: Int, level: Level) -> Int {
        (dataCodewords(version: version, level: level) * 8 - 4 - countBits(version: version)) / 8
    }

    /// §7.4.1 Table 3: the byte-mode character count is 8 bits up to version 9, 16 after.
    static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    static func dataCodewords(version: Int, level: Level) -> Int {
        QRLayout.rawDataModules(version: version) / 8 - eccPerBlock[level.index][version] * blockCount[level.index][version]
    }

    /// The data codewords (mode, count, bytes, terminator, padding; §7.4), split into blocks
    /// with their error correction codewords and interleaved (§7.6).
    static func codewords(_ bytes: [UInt8], version: Int, level: Level) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewords(version: version, level: level) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < capacity / 8 {
            data.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return interleave(data, version: version, level: level)
    }

    static func interleave(_ data: [UInt8], version: Int, level: Level) -> [UInt8] {
        let blocks = blockCount[level.index][version]
        let eccLength = eccPerBlock[level.index][version]
        let raw = QRLayout.rawDataModules(version: version) / 8
        let shortBlocks = blocks - raw % blocks
        let shortLength = raw / blocks
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var split: [[UInt8]] = []
        var offset = 0
        for index in 0..<blocks {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            var block = Array(data[offset..<offset + length])
            offset += length
            let ecc = ReedSolomon.remainder(block, divisor: divisor)
            // A placeholder makes every block as long as the long ones; it is skipped below.
            if index < shortBlocks { block.append(0) }
            split.append(block + ecc)
        }
        var result: [UInt8] = []
        for position in 0..<split[0].count {
            for (index, block) in split.enumerated() where position != shortLength - eccLength || index >= shortBlocks {
                result.append(block[position])
            }
        }
        return result
    }

    /// §7.5.1 Table 9, per level (L, M) and version (index 0 unused): error correction
    /// codewords per block, and number of blocks.
    static let eccPerBlock: [[Int]] = [
        [
            0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30,
        ],
        [
            0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28,
        ],
    ]
    static let blockCount: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [
            0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43,
            45, 47, 49,
        ],
    ]
}

/// Bits appended most significant first, read out as bytes.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) } << UInt8(max(0, start + 8 - bits.count))
        }
    }
}

extension QRCode {
    /// The symbol as text, two module rows per line with half blocks, and a light quiet
    /// zone of `quietZone` modules around it. Light modules are drawn (`█`, `▀`, `▄`) and dark
    /// ones left blank, so the code reads right as the terminal's light text on its dark
    /// background; with `colour`, each line sets white on black itself, so it reads right on
    /// a light theme too.
    package func terminalLines(quietZone: Int = 2, colour: Bool) -> [String] {
        let extent = size + 2 * quietZone
        func light(_ x: Int, _ y: Int) -> Bool {
            let (column, row) = (x - quietZone, y - quietZone)
            guard (0..<size).contains(column), (0..<size).contains(row) else { return true }
            return !modules[row][column]
        }
        return stride(from: 0, to: extent, by: 2).map { y in
            let cells = (0..<extent).map { x -> String in
                switch (light(x, y), y + 1 < extent ? light(x, y + 1) : false) {
                case (true, true): "█"
                case (true, false): "▀"
                case (false, true): "▄"
                case (false, false): " "
                }
            }.joined()
            return colour ? "\u{1B}[97;40m" + cells + "\u{1B}[0m" : cells
        }
    }
}

/// Reed–Solomon error correction codewords over GF(2⁸) with the QR code's polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator roots α⁰…α^(n−1) (ISO/IEC 18004 §7.5.2).
enum ReedSolomon {
    /// The generator polynomial of `degree`, highest coefficient (always 1) dropped.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                result[index] = multiply(result[index], root)
                if index + 1 < degree { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    /// The remainder of `data` × x^degree divided by the generator: the ECC codewords.
    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }

    /// Multiplication in GF(2⁸) modulo 0x11D (Russian-peasant, no tables).
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int((y >> UInt8(bit)) & 1) * Int(x)
        }
        return UInt8(product & 0xFF)
    }
}
