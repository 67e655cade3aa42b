/// Quotes text for POSIX shells so that pasting a command runs nothing from it.
package enum ShellQuoting {
    /// The text as one shell word.
    ///
    /// Plain names stay bare; anything else is single-quoted (`'` becomes
    /// `'\''`). Text with control characters uses bash's `$'…'` form with
    /// escapes, so the command never carries a raw terminal escape.
    package static func quote(_ text: String) -> String {
        if !text.isEmpty, text.unicodeScalars.allSatisfy(isPlain) { return text }
        if text.unicodeScalars.contains(where: isControl) {
            var out = "$'"
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\\": out += "\\\\"
                case "'": out += "\\'"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case _ where isControl(scalar):
                    // Byte escapes work in every locale; \u needs a UTF-8 one.
                    for byte in String(scalar).utf8 { out += "\\x" + hex(UInt32(byte), width: 2) }
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "'"
        }
        return "'" + text.replacingAll("'", with: #"'\''"#) + "'"
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", "+", ",", ":", "@", "%": true
        default: false
        }
    }

    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension String {
    /// Replaces every occurrence of `target` without Foundation.
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
