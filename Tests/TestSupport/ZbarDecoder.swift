import Foundation

/// Reads QR codes back with zbar (`zbarimg`, Debian's zbar-tools), a decoder that shares no
/// code with pds-auth's encoder: modules are drawn into a greyscale image and decoded.
package enum ZbarDecoder {
    /// What zbar reads from `modules` (true = dark), each module `scale` pixels, inside a
    /// light quiet zone of four modules; nil when it reads nothing.
    package static func decode(_ modules: [[Bool]], scale: Int = 4) async throws -> String? {
        let quiet = 4
        let side = (modules.count + 2 * quiet) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                for dy in 0..<scale {
                    for dx in 0..<scale { pixels[((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx] = 0 }
                }
            }
        }
        let directory = TemporaryDirectory()
        let path = directory.file("symbol.pgm")
        try (Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)).write(to: URL(fileURLWithPath: path))
        let result = try await ChildTool.run("/usr/bin/zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", "-Sbinary", path])
        guard result.status == 0 else { return nil }
        // zbar's D-Bus support complains on stderr (merged here) when there is no system bus.
        return result.output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Connection Error") && !$0.hasPrefix("Connection Null") }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    /// Modules from half-block text as pds-auth draws it (light modules drawn, dark blank):
    /// each line is two module rows.
    package static func modules(fromHalfBlocks lines: [String]) -> [[Bool]] {
        var rows: [[Bool]] = []
        for line in lines {
            var top: [Bool] = []
            var bottom: [Bool] = []
            for cell in line {
                top.append(cell == " " || cell == "▄")
                bottom.append(cell == " " || cell == "▀")
            }
            rows += [top, bottom]
        }
        return rows
    }
}
