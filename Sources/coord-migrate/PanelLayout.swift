import CoordMigrate
import Foundation

/// How the panels are laid out: two-column tables, wrapping to the terminal, boxes.
extension PanelPrinter {
    /// Label and value rows; a value too long for the panel goes on over more lines,
    /// under the value column.
    func table(_ rows: [(String, String)]) -> [String] {
        let labelWidth = 18
        let valueWidth = max(10, width - 4 - labelWidth - 2)
        return rows.flatMap { label, value -> [String] in
            let lines = wrap(terminal.safe(value), to: valueWidth)
            return lines.enumerated().map { index, line in
                let head = index == 0 ? label : ""
                return " " + terminal.style(head.padding(toLength: labelWidth, withPad: " ", startingAt: 0), .bold) + " " + line
            }
        }
    }

    /// Words of `text` in lines of at most `columns`; a word longer than that is cut.
    func wrap(_ text: String, to columns: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while Terminal.width(word) > columns {
                if !current.isEmpty { lines.append(current); current = "" }
                var head = ""
                for character in word {
                    if Terminal.width(head + String(character)) > columns { break }
                    head.append(character)
                }
                if head.isEmpty { break }
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if Terminal.width(candidate) > columns, !current.isEmpty {
                lines.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }

    func box(title: String?, rows: [String]) {
        let inner = width - 2
        let horizontal = terminal.glyph("─", "-")
        let (topLeft, topRight, bottomLeft, bottomRight, side) = terminal.unicode
            ? ("╭", "╮", "╰", "╯", "│") : ("+", "+", "+", "+", "|")
        var top = topLeft + String(repeating: horizontal, count: inner) + topRight
        if let title {
            let label = " \(title) "
            let left = (inner - label.count) / 2
            top = topLeft + String(repeating: horizontal, count: left) + label
                + String(repeating: horizontal, count: inner - left - label.count) + topRight
        }
        terminal.line(top)
        for row in rows {
            let visible = Terminal.width(stripStyles(row))
            let padding = max(0, inner - 1 - visible)
            terminal.line(side + " " + row + String(repeating: " ", count: padding) + side)
        }
        terminal.line(bottomLeft + String(repeating: horizontal, count: inner) + bottomRight)
    }

    func stripStyles(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{1B}" { inEscape = true; continue }
            if inEscape { if scalar == "m" { inEscape = false }; continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
