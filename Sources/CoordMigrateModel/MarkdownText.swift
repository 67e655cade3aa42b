/// Makes untrusted text (file names, config values) safe inside CommonMark.
package enum MarkdownText {
    // Everything here works on Unicode scalars, as cmark does on bytes: a combining
    // mark after `<` (or a prepended mark before it) makes one Swift Character of
    // the pair, and a check on Characters would let the `<` through unescaped.

    /// Scalars CommonMark gives a meaning to inline; each is backslash-escaped.
    private static let inlineSpecials: Set<Unicode.Scalar> = [
        "\\", "`", "*", "_", "[", "]", "<", ">", "!", "|", "~", "&", "#", "{", "}",
    ]

    /// Text for a paragraph or list item: every character that could start
    /// emphasis, a link, a code span, raw HTML, an entity or a block is escaped;
    /// line breaks become spaces and control characters become U+FFFD.
    package static func inline(_ text: String) -> String {
        var scalars = Array(clean(text).unicodeScalars)[...]
        var out = String.UnicodeScalarView()
        // Leading spaces would make an indented code block or shift a list
        // marker into place: write them as character references.
        var leadingSpaces = false
        while scalars.first == " " {
            out.append(contentsOf: "&#32;".unicodeScalars)
            scalars = scalars.dropFirst()
            leadingSpaces = true
        }
        let rest = Array(scalars)
        let markerEnd = leadingSpaces ? nil : blockMarkerEnd(rest)
        for (index, scalar) in rest.enumerated() {
            if inlineSpecials.contains(scalar) || index == markerEnd {
                out.append("\\")
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// The index of the scalar that would make text at the start of a line a
    /// block (a list item, a thematic break, a setext underline), or nil.
    private static func blockMarkerEnd(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let first = scalars.first else { return nil }
        func isSpaceOrEnd(_ index: Int) -> Bool { index >= scalars.count || scalars[index] == " " }
        if "-+*=".unicodeScalars.contains(first) {
            // "- item", "+ item", "---", "===": escape the first character.
            if isSpaceOrEnd(1) || scalars.dropFirst().allSatisfy({ $0 == first || $0 == " " }) { return 0 }
            return nil
        }
        var index = 0
        while index < scalars.count, index < 9, ("0"..."9").contains(scalars[index]) { index += 1 }
        if index > 0, index < scalars.count, scalars[index] == "." || scalars[index] == ")", isSpaceOrEnd(index + 1) {
            return index
        }
        return nil
    }

    /// The text as an inline code span, with a backtick fence longer than any
    /// run inside it.
    package static func codeSpan(_ text: String) -> String {
        let body = clean(text)
        let fence = String(repeating: "`", count: longestRun(of: "`", in: body) + 1)
        let first = body.unicodeScalars.first
        let last = body.unicodeScalars.last
        let pad = first == "`" || last == "`" || (first == " " && last == " ") ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A fence for a code block holding `lines`: three backticks, or more when a
    /// line holds a longer run.
    package static func fence(for lines: [String]) -> String {
        let longest = lines.map { longestRun(of: "`", in: $0) }.max() ?? 0
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Line breaks become spaces; other control characters become U+FFFD, so no
    /// raw escape sequence reaches a terminal or a renderer.
    package static func clean(_ text: String) -> String {
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

    static func longestRun(of target: Unicode.Scalar, in text: String) -> Int {
        var longest = 0
        var run = 0
        for scalar in text.unicodeScalars {
            run = scalar == target ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
