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
