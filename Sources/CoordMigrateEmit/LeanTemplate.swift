import CoordMigrateModel
/// A parsed report template: text plus the report's values.
protocol ReportTemplate: Sendable {
    /// Throws when a user's template goes past its render limits (``RenderLimits``).
    func render(_ context: [String: Any]) throws -> String
}

/// The part of Mustache the built-in templates are written in, parsed in one pass
/// over the bytes and rendered without reflection.
///
/// The built-in templates are rendered on every run, and on a small tree parsing
/// and rendering them through swift-mustache is about half of the run: its parser
/// measures the remaining text at every tag, and its renderer looks values up
/// through `Mirror` and protocol casts, each first-time cast a scan of the runtime's
/// conformance tables. This renderer supports what the built-in templates use and
/// refuses the rest, so a template either renders exactly as swift-mustache renders
/// it or does not compile here (tests render every sample through both):
///
/// - `{{name}}` (escaped by the content type), `{{{name}}}` and `{{&name}}` (as is),
///   `{{.}}` (the current item);
/// - `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}` sections over lists,
///   booleans and objects; `{{! comments }}`;
/// - a leading `{{% CONTENT_TYPE: NAME}}` pragma, which must name one of
///   `contentTypes`;
/// - standalone lines: a line holding only a section, closing, comment or pragma
///   tag (and spaces or tabs) leaves no trace in the output. The parser follows
///   swift-mustache's own state machine for this, quirks included (a closing tag
///   after a standalone opening one counts as the start of a line).
///
/// Refused: partials, inheritance, lambdas, transforms, dotted names, set
/// delimiters, pragmas after output or inside sections, a `{{` at the end of a line,
/// and braces or spaces joined to combining marks (where reading by bytes and by
/// Characters would differ). Users' templates go through swift-mustache.
struct LeanTemplate: ReportTemplate {
    indirect enum Node: Sendable {
        case text(String)
        case value(name: String, escaped: Bool)
        case section(name: String, inverted: Bool, body: [Node])
    }

    /// Why a template is not in the supported subset, with its 1-based line.
    struct Unsupported: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    let nodes: [Node]
    let escape: @Sendable (String) -> String

    init(_ text: String, contentTypes: [String: @Sendable (String) -> String]) throws(Unsupported) {
        try Self.refuseJoinedDelimiters(text)
        var parser = Parser(bytes: Array(text.utf8), contentTypes: contentTypes)
        nodes = try parser.parse(section: nil, newLine: true)
        guard let escape = parser.escape else {
            throw Unsupported(line: 1, message: "the template does not start with a {{% CONTENT_TYPE: …}} pragma")
        }
        self.escape = escape
    }

    /// swift-mustache reads a template by Characters, this parser by bytes: they agree
    /// unless a brace, space or tab shares a Character with a combining or prepended
    /// mark (`{` + U+0301 is one Character, and not a `{`). Such templates are refused.
    private static func refuseJoinedDelimiters(_ text: String) throws(Unsupported) {
        var line = 1
        for character in text {
            if character == "\n" || character == "\r\n" {
                line += 1
            } else if character.unicodeScalars.count > 1,
                character.unicodeScalars.contains(where: { $0 == "{" || $0 == "}" || $0 == " " || $0 == "\t" })
            {
                throw Unsupported(line: line, message: "a brace, space or tab is joined to a combining or prepended mark")
            }
        }
    }

    func render(_ context: [String: Any]) -> String {
        var out = ""
        out.reserveCapacity(32_768)
        var stack: [Any] = [context]
        render(nodes, stack: &stack, into: &out)
        return out
    }

    private func render(_ nodes: [Node], stack: inout [Any], into out: inout String) {
        for node in nodes {
            switch node {
            case let .text(text):
                out += text
            case let .value(name, escaped):
                guard let value = Self.lookup(name, in: stack) else { continue }
                let text = Self.text(of: value)
                out += escaped ? escape(text) : text
            case let .section(name, inverted, body):
                let value = Self.lookup(name, in: stack)
                if inverted {
                    // Renders for nothing found, `false`, or an empty list, which (as in
                    // swift-mustache) is the current item inside.
                    switch value {
                    case nil:
                        render(body, stack: &stack, into: &out)
                    case let flag as Bool:
                        if !flag { render(body, stack: &stack, into: &out) }
                    case let list as [Any] where list.isEmpty:
                        stack.append(list)
                        render(body, stack: &stack, into: &out)
                        stack.removeLast()
                    default:
                        break
                    }
                    continue
                }
                switch value {
                case nil:
                    continue
                case let flag as Bool:
                    if flag { render(body, stack: &stack, into: &out) }
                case let list as [Any]:
                    for item in list {
                        stack.append(item)
                        render(body, stack: &stack, into: &out)
                        stack.removeLast()
                    }
                case let object?:
                    stack.append(object)
                    render(body, stack: &stack, into: &out)
                    stack.removeLast()
                }
            }
        }
    }

    /// `.` is the innermost item; any other name is the first object, innermost
    /// out, that has the key. Only objects have keys (as in swift-mustache, where
    /// strings, numbers and lists have no named children).
    private static func lookup(_ name: String, in stack: [Any]) -> Any? {
        if name == "." { return stack.last }
        for object in stack.reversed() {
            if let object = object as? [String: Any], let value = object[name] { return value }
        }
        return nil
    }

    /// A value as text, as `String(describing:)` prints it, without its runtime lookups
    /// for the types the report uses.
    private static func text(of value: Any) -> String {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let number as Double: number.description
        case let flag as Bool: flag ? "true" : "false"
        default: String(describing: value)
        }
    }
}

extension LeanTemplate {
    /// swift-mustache's parser (`MustacheTemplate.parse`), for the supported tags,
    /// over bytes. `newLine` is its "at the start of a line" state: the leading
    /// spaces and tabs of such a line are held back, then dropped if the line turns
    /// out to be a standalone tag, and written otherwise.
    fileprivate struct Parser {
        let bytes: [UInt8]
        let contentTypes: [String: @Sendable (String) -> String]
        var escape: (@Sendable (String) -> String)?
        var position = 0
        var producedOutput = false

        init(bytes: [UInt8], contentTypes: [String: @Sendable (String) -> String]) {
            self.bytes = bytes
            self.contentTypes = contentTypes
        }

        private var atEnd: Bool { position >= bytes.count }

        /// The 1-based line of the current position.
        private var line: Int { line(at: position) }

        private func line(at index: Int) -> Int { 1 + bytes[..<min(index, bytes.count)].count { $0 == UInt8(ascii: "\n") } }

        private func fail(_ message: String) -> Unsupported { Unsupported(line: line, message: message) }

        /// The nodes up to the end of the template (`section` nil) or of the named section.
        mutating func parse(section: String?, openedAt: Int = 0, newLine startsLine: Bool) throws(Unsupported) -> [Node] {
            var nodes: [Node] = []
            var newLine = startsLine
            var heldBack = 0..<0
            func flushHeldBack() {
                if !heldBack.isEmpty { nodes.append(.text(text(heldBack))) }
                heldBack = 0..<0
            }
            while !atEnd {
                if newLine {
                    let start = position
                    while !atEnd, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") { position += 1 }
                    heldBack = start..<position
                }
                let textStart = position
                let foundTag = try readUntilTagOrNewline()
                let textRange = textStart..<(foundTag ? position - 2 : position)
                if foundTag, atEnd || newlineLength(at: position) != nil {
                    // swift-mustache drops such a `{{` and reads on as text.
                    throw fail("a tag opens at the end of a line or of the template")
                }
                if !foundTag, let length = lineBreakLength(at: position) {
                    position += length
                    nodes.append(.text(text(heldBack) + text(textRange.lowerBound..<position)))
                    producedOutput = true
                    heldBack = 0..<0
                    newLine = true
                    continue
                }
                if !textRange.isEmpty {
                    nodes.append(.text(text(heldBack) + text(textRange)))
                    producedOutput = true
                    heldBack = 0..<0
                    newLine = false
                }
                guard foundTag, !atEnd else { break }
                var setNewLine = false
                let sigil = bytes[position]
                switch sigil {
                case UInt8(ascii: "#"), UInt8(ascii: "^"):
                    let openedAt = position
                    position += 1
                    let name = try name()
                    if standsAlone(newLine) { setNewLine = true } else { flushHeldBack() }
                    let body = try parse(section: name, openedAt: openedAt, newLine: setNewLine)
                    nodes.append(.section(name: name, inverted: sigil == UInt8(ascii: "^"), body: body))
                    producedOutput = true
                case UInt8(ascii: "/"):
                    position += 1
                    let name = try name()
                    guard name == section else { throw fail("{{/\(name)}} closes no open section of that name") }
                    if !standsAlone(newLine) { flushHeldBack() }
                    return nodes
                case UInt8(ascii: "!"):
                    guard let end = find("}}", from: position) else { throw fail("a comment is not closed") }
                    position = end + 2
                    setNewLine = standsAlone(newLine)
                case UInt8(ascii: "{"), UInt8(ascii: "&"):
                    flushHeldBack()
                    position += 1
                    let name = try name()
                    if sigil == UInt8(ascii: "{") {
                        guard !atEnd, bytes[position] == UInt8(ascii: "}") else { throw fail("{{{\(name)}} lacks its third brace") }
                        position += 1
                    }
                    nodes.append(.value(name: name, escaped: false))
                    producedOutput = true
                case UInt8(ascii: "%"):
                    // In swift-mustache a pragma in a section applies to that section only.
                    guard section == nil else { throw fail("a CONTENT_TYPE pragma must come before any output") }
                    position += 1
                    try pragma()
                    setNewLine = standsAlone(newLine)
                case UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"), UInt8(ascii: "="):
                    throw fail("partials, inheritance and set delimiters are not supported")
                default:
                    flushHeldBack()
                    nodes.append(.value(name: try name(), escaped: true))
                    producedOutput = true
                }
                newLine = setNewLine
            }
            if let section { throw Unsupported(line: line(at: openedAt), message: "{{#\(section)}} is never closed") }
            return nodes
        }

        /// Moves past text up to `{{` (then true, positioned after it), a line break or
        /// the end (then false, positioned on it).
        private mutating func readUntilTagOrNewline() throws(Unsupported) -> Bool {
            while !atEnd {
                if bytes[position] == UInt8(ascii: "{") {
                    // swift-mustache reads two characters here and fails at the end.
                    guard position + 1 < bytes.count else { throw fail("the template ends in a lone {") }
                    if bytes[position + 1] == UInt8(ascii: "{") {
                        position += 2
                        return true
                    }
                }
                if lineBreakLength(at: position) != nil { return false }
                position += 1
            }
            return false
        }

        /// The line break that ends text: LF or CR LF only, as swift-mustache reads text.
        private func lineBreakLength(at index: Int) -> Int? {
            guard index < bytes.count else { return nil }
            if bytes[index] == 0x0A { return 1 }
            return bytes[index] == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : nil
        }

        /// The length of the line break at `index`, if one starts there: what
        /// `Character.isNewline` accepts (LF, CR LF, CR, VT, FF, NEL, LS, PS), which is
        /// what ends a standalone tag's line.
        private func newlineLength(at index: Int) -> Int? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case 0x0A, 0x0B, 0x0C: return 1
            case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: return 2
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                return 3
            default: return nil
            }
        }

        /// swift-mustache's standalone test: at the start of a line, and followed by
        /// the end of the template or by spaces and tabs and a line break (consumed).
        private mutating func standsAlone(_ newLine: Bool) -> Bool {
            guard newLine else { return false }
            if atEnd { return true }
            var index = position
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            guard let length = newlineLength(at: index) else { return false }
            position = index + length
            return true
        }

        /// A key and the closing `}}`: letters, digits, `_`, `-` and `?`, or `.` alone,
        /// with optional white space around it.
        private mutating func name() throws(Unsupported) -> String {
            skipWhitespace()
            let start = position
            while !atEnd, Self.isNameByte(bytes[position]) { position += 1 }
            let name = text(start..<position)
            skipWhitespace()
            guard name == "." || (!name.isEmpty && !name.utf8.contains(UInt8(ascii: "."))), consume("}}") else {
                throw fail("\"\(text(start..<min(position + 2, bytes.count)))\" is not a plain key")
            }
            return name
        }

        private static func isNameByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: "."):
                true
            default: false
            }
        }

        /// `{{% CONTENT_TYPE: NAME}}`, before any output.
        private mutating func pragma() throws(Unsupported) {
            skipWhitespace()
            let keyStart = position
            while !atEnd, Self.isNameByte(bytes[position]) { position += 1 }
            let key = text(keyStart..<position)
            skipWhitespace()
            guard consume(":") else { throw fail("a malformed pragma") }
            skipWhitespace()
            let valueStart = position
            while !atEnd, Self.isNameByte(bytes[position]) { position += 1 }
            let value = text(valueStart..<position)
            skipWhitespace()
            guard consume("}}") else { throw fail("a malformed pragma") }
            guard key == "CONTENT_TYPE", let type = contentTypes[value] else { throw fail("unknown pragma \(key): \(value)") }
            guard !producedOutput else { throw fail("a CONTENT_TYPE pragma must come before any output") }
            escape = type
        }

        private mutating func skipWhitespace() {
            while !atEnd {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: position += 1
                default: return
                }
            }
        }

        private mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            let matches = literal.withUTF8Buffer { literal in
                (0..<count).allSatisfy { bytes[position + $0] == literal[$0] }
            }
            if matches { position += count }
            return matches
        }

        private func find(_ literal: StaticString, from start: Int) -> Int? {
            let count = literal.utf8CodeUnitCount
            return literal.withUTF8Buffer { literal -> Int? in
                var index = start
                while index + count <= bytes.count {
                    if (0..<count).allSatisfy({ bytes[index + $0] == literal[$0] }) { return index }
                    index += 1
                }
                return nil
            }
        }

        private func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }
    }
}
