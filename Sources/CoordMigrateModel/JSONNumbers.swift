package import Foundation

/// Finds the number in a JSON text that no Swift number holds, so that a report or
/// a configuration with `1e999` or a 30-digit count is told "out of range" rather
/// than "malformed".
package enum JSONNumbers {
    /// The first number literal outside strings that is out of range: an integer
    /// literal beyond 64 bits, or any literal whose value is infinite as a Double.
    package static func firstOutOfRange(in data: Data) -> (literal: String, line: Int)? {
        var line = 1
        var inString = false
        var escaped = false
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                index += 1
                continue
            }
            if byte == 0x22 {
                inString = true
                index += 1
                continue
            }
            guard byte == 0x2D || (0x30...0x39).contains(byte) else {
                index += 1
                continue
            }
            var end = index
            while end < data.endIndex, "0123456789+-.eE".utf8.contains(data[end]) { end += 1 }
            let literal = String(decoding: data[index..<end], as: UTF8.self)
            let isInteger = !literal.contains { ".eE".contains($0) }
            let outOfRange = isInteger ? Int64(literal) == nil && UInt64(literal) == nil : Double(literal)?.isInfinite ?? false
            if outOfRange {
                return (literal, line)
            }
            index = end
        }
        return nil
    }

    /// "a number is out of range: 1e999 (line 3)", or nil when every number fits.
    static func outOfRangeMessage(in data: Data) -> String? {
        firstOutOfRange(in: data).map { "a number is out of range: \($0.literal.prefix(40)) (line \($0.line))" }
    }
}
