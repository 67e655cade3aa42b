/// Makes untrusted text (file names, config values) safe inside CommonMark.
public enum MarkdownText {
    /// Characters CommonMark gives a meaning to inline; each is backslash-escaped.
    private static let inlineSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "!", "|", "~", "&", "#", "{", "}"]

    /// Text for a paragraph or list item: every character that could start
    /// emphasis, a link, a code span, raw HTML, an entity or a block is escaped;
    /// line breaks become spaces and control characters become U+FFFD.
    public static func inline(_ text: String) -> String {
        var characters = Array(clean(text))
        var out = ""
        out.reserveCapacity(characters.count + 8)
        // Leading spaces would make an indented code block or shift a list
        // marker into place: write them as character references.
        while characters.first == " " {
            out += "&#32;"
            characters.removeFirst()
        }
        let markerEnd = out.isEmpty ? blockMarkerEnd(characters) : nil
        for (index, character) in characters.enumerated() {
            if inlineSpecials.contains(character) || index == markerEnd {
                out.append("\\")
            }
            out.append(character)
        }
        return out
    }

    /// The index of the character that would make text at the start of a line
    /// a block (a list item, a thematic break, a setext underline), or nil.
    private static func blockMarkerEnd(_ characters: [Character]) -> Int? {
        guard let first = characters.first else { return nil }
        func isSpaceOrEnd(_ index: Int) -> Bool { index >= characters.count || characters[index] == " " }
        if "-+*=".contains(first) {
            // "- item", "+ item", "---", "===": escape the first character.
            if isSpaceOrEnd(1) || characters.dropFirst().allSatisfy({ $0 == first || $0 == " " }) { return 0 }
            return nil
        }
        var index = 0
        while index < characters.count, index < 9, characters[index].isASCII, characters[index].isNumber { index += 1 }
        if index > 0, index < characters.count, ".)".contains(characters[index]), isSpaceOrEnd(index + 1) {
            return index
        }
        return nil
    }

    /// The text as an inline code span, with a backtick fence longer than any
    /// run inside it.
    public static func codeSpan(_ text: String) -> String {
        let body = clean(text)
        let fence = String(repeating: "`", count: longestRun(of: "`", in: body) + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.hasPrefix(" ") && body.hasSuffix(" ") ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A fence for a code block holding `lines`: three backticks, or more when a
    /// line holds a longer run.
    public static func fence(for lines: [String]) -> String {
        let longest = lines.map { longestRun(of: "`", in: $0) }.max() ?? 0
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Line breaks become spaces; other control characters become U+FFFD, so no
    /// raw escape sequence reaches a terminal or a renderer.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out.append(" ")
            } else if ShellQuoting.isControl(scalar) {
                out.append("\u{FFFD}")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func longestRun(of target: Character, in text: String) -> Int {
        var longest = 0
        var run = 0
        for character in text {
            run = character == target ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
