import CoordMigrateModel
/// A user's template read the way swift-mustache's parser will read it, before
/// that parser sees it: how many tags, how deep the sections nest, and how much
/// text sits directly inside each section.
///
/// swift-mustache parses a section by calling itself, so a template nested a few
/// thousand sections deep overflows the stack (an 18 KB file of `{{#a}}` × 3000 is
/// enough), and its parser's time grows with the square of the tag count (80,000
/// tags take 42 s). Templates past ``maxDepth`` or ``maxTags`` are refused here.
/// The text sizes let ``RenderBudget`` estimate a render's output as it goes.
///
/// The scan follows the parser: a tag starts at the current start delimiter and its
/// kind is the character right after it; `{{=<% %>=}}` sets new delimiters, which
/// (as in swift-mustache) hold until the end of the section they are set in; text is
/// read by Characters, so a brace joined to a combining mark is no delimiter.
struct TemplateOutline: Sendable {
    /// The deepest nesting of sections (`#`, `^`, `$`, `<`) a user's template may have.
    static let maxDepth = 64
    /// The most tags a user's template may hold.
    static let maxTags = 20_000

    /// Why a template was refused before parsing.
    struct LimitError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var tags = 0
    private(set) var deepest = 0
    /// Bytes of text outside every section.
    private(set) var topText = 0
    /// For each section name (transforms removed, the last part of a dotted name):
    /// the most bytes of text directly inside one `{{#name}}` section, and inside
    /// one `{{^name}}` section.
    private(set) var sectionText: [String: Int] = [:]
    private(set) var invertedText: [String: Int] = [:]

    /// Reads the parts a template is parsed in, one after another; the limits
    /// apply to them together.
    init(parts: [String]) throws(LimitError) {
        for part in parts { try scan(Array(part)) }
    }

    private struct Open {
        var key: String
        var inverted: Bool
        var start: [Character]
        var end: [Character]
        var outerText: Int
    }

    private mutating func scan(_ text: [Character]) throws(LimitError) {
        var start: [Character] = ["{", "{"]
        var end: [Character] = ["}", "}"]
        var open: [Open] = []
        var textHere = 0
        var index = 0

        func matches(_ delimiter: [Character], at position: Int) -> Bool {
            guard position + delimiter.count <= text.count else { return false }
            for offset in delimiter.indices where text[position + offset] != delimiter[offset] { return false }
            return true
        }
        /// The index of the next `delimiter` at or after `position`, or the end.
        func next(_ delimiter: [Character], from position: Int) -> Int {
            var at = position
            while at < text.count, !matches(delimiter, at: at) { at += 1 }
            return at
        }

        while index < text.count {
            guard matches(start, at: index) else {
                textHere += text[index].utf8.count
                index += 1
                continue
            }
            let kind = index + start.count
            guard kind < text.count else { break }
            tags += 1
            if tags > Self.maxTags {
                throw LimitError(
                    description: "has more than \(ByteCount.grouped(Self.maxTags)) tags; use at most \(ByteCount.grouped(Self.maxTags)) "
                        + "(shorten the template or split it up)")
            }
            switch text[kind] {
            case "#", "^", "$", "<":
                let close = next(end, from: kind + 1)
                open.append(Open(
                    key: Self.key(String(text[(kind + 1)..<close])), inverted: text[kind] == "^",
                    start: start, end: end, outerText: textHere))
                textHere = 0
                deepest = max(deepest, open.count)
                if open.count > Self.maxDepth {
                    throw LimitError(
                        description: "nests sections more than \(Self.maxDepth) levels deep; use at most \(Self.maxDepth) levels of nested sections")
                }
                index = close + end.count
            case "/":
                let close = next(end, from: kind + 1)
                index = close + end.count
                guard let section = open.popLast() else { continue }
                if section.inverted {
                    invertedText[section.key] = max(invertedText[section.key] ?? 0, textHere)
                } else {
                    sectionText[section.key] = max(sectionText[section.key] ?? 0, textHere)
                }
                textHere = section.outerText
                start = section.start
                end = section.end
            case "=":
                // {{=<% %>=}}: two words, then `=` and the current end delimiter.
                var at = kind + 1
                func skipSpace() { while at < text.count, text[at].isWhitespace { at += 1 } }
                func word(until stop: (Character) -> Bool) -> [Character] {
                    let first = at
                    while at < text.count, !stop(text[at]) { at += 1 }
                    return Array(text[first..<at])
                }
                skipSpace()
                let newStart = word { $0.isWhitespace }
                skipSpace()
                let newEnd = word { $0 == "=" || $0.isWhitespace }
                skipSpace()
                if at < text.count, text[at] == "=", matches(end, at: at + 1), !newStart.isEmpty, !newEnd.isEmpty {
                    index = at + 1 + end.count
                    start = newStart
                    end = newEnd
                } else {
                    // swift-mustache stops with a parse error here.
                    index = next(end, from: kind + 1) + end.count
                }
            default:
                index = next(end, from: kind) + end.count
            }
        }
        // Unclosed sections are swift-mustache's parse error to report.
        if let outermost = open.first { textHere += outermost.outerText }
        topText += textHere
    }

    /// `reversed(steps)` → `steps`, `plan.steps` → `steps`: the name the value is looked up by last.
    static func key(_ tag: String) -> String {
        var name = Substring(tag).drop { $0 == " " || $0 == "\t" }
        while let end = name.last, end == " " || end == "\t" || end == ")" { name = name.dropLast() }
        if let open = name.lastIndex(of: "(") { name = name[name.index(after: open)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex || name.count > 1 { name = name[name.index(after: dot)...] }
        return String(name)
    }
}
