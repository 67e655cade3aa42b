import CoordMigrateScan

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The languages whose programs are read for what they do.
package enum SourceLanguage: String, Sendable, CaseIterable {
    case shell, python, javascript, go, ruby, sql, rust

    /// The language a file's extension names, if it is one read here.
    package static func of(extension ext: Substring) -> SourceLanguage? {
        of(extensionKey: FileExtension.key(ext.utf8))
    }

    /// ``of(extension:)`` on an extension's key (``FileExtension``), as every entry of the walk asks.
    package static func of(extensionKey key: UInt64) -> SourceLanguage? {
        key == 0 ? nil : byExtension[key]
    }

    private static let byExtension: [UInt64: SourceLanguage] = {
        let names: [(String, SourceLanguage)] = [
            ("sh", .shell), ("bash", .shell), ("zsh", .shell), ("py", .python),
            ("js", .javascript), ("mjs", .javascript), ("cjs", .javascript), ("ts", .javascript), ("tsx", .javascript),
            ("mts", .javascript), ("cts", .javascript), ("jsx", .javascript),
            ("go", .go), ("rs", .rust), ("rb", .ruby), ("sql", .sql),
        ]
        return Dictionary(uniqueKeysWithValues: names.map { (FileExtension.key($0.0.utf8), $0.1) })
    }()

    /// The language a shebang line names (`#!/usr/bin/env python3`, `#!/bin/bash`, `#!/usr/bin/env -S node`).
    package static func of(shebang line: some Collection<UInt8>) -> SourceLanguage? {
        let text = String(decoding: line.prefix(128), as: UTF8.self)
        guard text.hasPrefix("#!") else { return nil }
        let words = text.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        var program = words.first.map { $0.split(separator: "/").last ?? $0 } ?? ""
        if program == "env" {
            program = words.dropFirst().first { !$0.hasPrefix("-") } ?? ""
        }
        if program.hasPrefix("python") { return .python }
        if ["sh", "bash", "zsh", "dash", "ksh"].contains(program) { return .shell }
        if ["node", "bun", "deno", "tsx", "ts-node"].contains(program) { return .javascript }
        if program.hasPrefix("ruby") { return .ruby }
        return nil
    }
}

/// One source file, lexed: its text lower-cased (ASCII) with every comment blanked
/// out — newlines kept, so offsets and line numbers stay those of the file — and,
/// for each byte, whether it lies inside a string literal.
///
/// The lexers are small and forgiving: they know each language's comments and
/// string literals (Python's triple quotes and docstrings, shell's quoting and
/// here-documents, JavaScript's template literals and regular expressions, Go's raw
/// strings), and an unterminated one-line string ends at its line, so one odd
/// construct cannot swallow the rest of a file.
package struct LexedSource: Sendable {
    package let language: SourceLanguage
    /// The text, lower-cased, comments replaced by spaces.
    package private(set) var text: [UInt8]
    /// 1 where the byte is inside a string literal (or a here-document), else 0.
    package private(set) var inString: [UInt8]
    /// The offset each line starts at; `lineStarts[0] == 0`.
    package private(set) var lineStarts: [Int] = [0]

    package init(_ bytes: [UInt8], language: SourceLanguage) {
        self.language = language
        text = bytes
        inString = [UInt8](repeating: 0, count: bytes.count)
        text.withUnsafeMutableBufferPointer { text in
            inString.withUnsafeMutableBufferPointer { marks in
                var lexer = Lexer(text: text, marks: marks, language: language)
                lexer.run()
            }
        }
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        text.withUnsafeBytes { text in
            guard let base = text.baseAddress else { return }
            var offset = 0
            while offset < text.count, let found = memchr(base + offset, 0x0A, text.count - offset) {
                offset = base.distance(to: UnsafeRawPointer(found)) + 1
                starts.append(offset)
            }
        }
        lineStarts = starts
    }

    /// The 1-based line of a byte offset.
    package func line(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// The bytes of 1-based line `number`, without its newline.
    package func lineText(_ number: Int) -> ArraySlice<UInt8> {
        guard number >= 1, number <= lineStarts.count else { return [] }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? lineStarts[number] - 1 : text.count
        return text[start..<max(start, end)]
    }
}

/// The lexing state machine over one buffer, lower-casing as it goes.
private struct Lexer {
    let text: UnsafeMutableBufferPointer<UInt8>
    let marks: UnsafeMutableBufferPointer<UInt8>
    let language: SourceLanguage
    var index = 0

    init(text: UnsafeMutableBufferPointer<UInt8>, marks: UnsafeMutableBufferPointer<UInt8>, language: SourceLanguage) {
        self.text = text
        self.marks = marks
        self.language = language
    }

    private static let newline = UInt8(ascii: "\n")
    /// Bytes after which a string is a value being passed or assigned, not a statement.
    private static let valueContext: Set<UInt8> = Set("(,=[{+%".utf8)

    mutating func run() {
        let count = text.count
        // The last byte that was code and not blank: decides whether `/` starts a regular expression.
        var previous: UInt8 = 0
        var lineHasCode = false
        let words = Self.wordBytes
        while index < count {
            let byte = lower(index)
            switch byte {
            case Self.newline:
                lineHasCode = false
                index += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                // Indentation comes in runs; a local offset stays in a register while the text is written.
                var end = index + 1
                while end < count, text[end] == 0x20 || text[end] == 0x09 || text[end] == 0x0D { end += 1 }
                index = end
                continue
            default: break
            }
            // Punctuation that opens no comment, string or here-document in any language is plain code.
            if !Self.isWord(byte), !Self.mayOpen(byte) {
                previous = byte
                lineHasCode = true
                index += 1
                continue
            }
            // Letters and digits are code, except where a Python string prefix (`f"`, `rb'`) may start.
            let rawRust = language == .rust && byte == UInt8(ascii: "r") && (at(index + 1) == UInt8(ascii: "\"") || at(index + 1) == UInt8(ascii: "#"))
            if Self.isWord(byte), (language != .python || !Self.pythonPrefix(byte)) && !rawRust || (index > 0 && Self.isWord(text[index - 1])) {
                lineHasCode = true
                // The rest of the word is code as well (a byte after a word byte always is): run through it.
                var end = index + 1
                while end < count {
                    let kind = words[Int(text[end])]
                    if kind == 0 { break }
                    if kind == 2 { text[end] &+= 32 }
                    end += 1
                }
                index = end
                previous = text[end - 1]
                continue
            }
            if startsComment(at: index, previous: previous) {
                blankComment()
                continue
            }
            if let quote = stringOpening(at: index, previous: previous, lineHasCode: lineHasCode) {
                // A docstring is a statement of its own; a triple-quoted string that opens a line after
                // `(`, `,`, `=` or an operator is a value (`executescript(\n"""CREATE TABLE …"""`).
                let docstring = quote.triple && !lineHasCode && language == .python && !Self.valueContext.contains(previous)
                string(quote)
                if docstring { blank(from: quote.start, to: index) }
                previous = UInt8(ascii: "\"")
                lineHasCode = true
                continue
            }
            if language == .shell, byte == UInt8(ascii: "<"), let body = hereDocument(at: index) {
                previous = UInt8(ascii: "\"")
                lineHasCode = true
                index = body
                continue
            }
            previous = byte
            lineHasCode = true
            index += 1
        }
    }

    /// Lower-cases the byte at `offset` in place and returns it.
    @inline(__always) private func lower(_ offset: Int) -> UInt8 {
        let byte = text[offset]
        if byte >= 65, byte <= 90 {
            text[offset] = byte + 32
            return byte + 32
        }
        return byte
    }

    @inline(__always) private func at(_ offset: Int) -> UInt8 { offset < text.count ? lower(offset) : 0 }

    private func startsComment(at offset: Int, previous: UInt8) -> Bool {
        let byte = text[offset]
        switch language {
        case .shell:
            // `#` starts a comment at a word's start only: not `$#`, `${#x}`, `a#b`.
            guard byte == UInt8(ascii: "#") else { return false }
            if offset == 0 { return true }
            let before = text[offset - 1]
            return before == 0x20 || before == 0x09 || before == Self.newline || before == UInt8(ascii: ";")
                || before == UInt8(ascii: "(") || before == UInt8(ascii: "|") || before == UInt8(ascii: "&")
        case .python, .ruby:
            return byte == UInt8(ascii: "#")
        case .javascript, .go, .rust:
            return byte == UInt8(ascii: "/") && (at(offset + 1) == UInt8(ascii: "/") || at(offset + 1) == UInt8(ascii: "*"))
        case .sql:
            return (byte == UInt8(ascii: "-") && at(offset + 1) == UInt8(ascii: "-"))
                || (byte == UInt8(ascii: "/") && at(offset + 1) == UInt8(ascii: "*"))
        }
    }

    /// Blanks the comment starting at `index` and moves past it.
    private mutating func blankComment() {
        let start = index
        let block = (language == .javascript || language == .go || language == .rust || language == .sql)
            && text[index] == UInt8(ascii: "/") && at(index + 1) == UInt8(ascii: "*")
        if block {
            index += 2
            while index < text.count, !(text[index] == UInt8(ascii: "*") && at(index + 1) == UInt8(ascii: "/")) { index += 1 }
            index = min(text.count, index + 2)
            blank(from: start, to: index)
        } else {
            // A line comment holds no newline and nothing in it was marked: one search, one fill.
            let base = text.baseAddress!
            let found = memchr(base + index, Int32(Self.newline), text.count - index)
            let end = found.map { UnsafeMutableRawPointer(base).distance(to: $0) } ?? text.count
            memset(base + index, 0x20, end - index)
            index = end
        }
    }

    /// Spaces over `start..<end`, newlines kept.
    private func blank(from start: Int, to end: Int) {
        for offset in start..<min(end, text.count) where text[offset] != Self.newline {
            text[offset] = 0x20
            marks[offset] = 0
        }
    }

    private struct Quote {
        var start: Int
        var delimiter: UInt8
        var triple: Bool
        /// Backslash escapes the next byte.
        var escapes: Bool
        /// The literal may run over several lines.
        var multiline: Bool
        /// Where the content starts.
        var contentStart: Int
        /// The `#`s after the closing delimiter of a Rust raw string (`r#"…"#`).
        var hashes = 0
    }

    private func stringOpening(at offset: Int, previous: UInt8, lineHasCode: Bool) -> Quote? {
        let byte = text[offset]
        let single = UInt8(ascii: "'"), double = UInt8(ascii: "\""), backtick = UInt8(ascii: "`")
        switch language {
        case .python:
            var start = offset
            // String prefixes: r, b, f, u and their pairs (`rb"…"`, `f'…'`).
            var probe = offset
            while probe < text.count, probe - offset < 2, Self.pythonPrefix(at(probe)) {
                probe += 1
            }
            if probe > offset, probe < text.count, text[probe] == single || text[probe] == double,
                offset == 0 || !Self.isWord(text[offset - 1])
            {
                start = probe
            }
            let quote = text[start]
            guard quote == single || quote == double else { return nil }
            let triple = at(start + 1) == quote && at(start + 2) == quote
            let raw = start > offset && (at(offset) == UInt8(ascii: "r") || at(offset + 1) == UInt8(ascii: "r"))
            return Quote(
                start: offset, delimiter: quote, triple: triple, escapes: !raw, multiline: triple,
                contentStart: start + (triple ? 3 : 1))
        case .shell:
            if byte == single { return Quote(start: offset, delimiter: single, triple: false, escapes: false, multiline: true, contentStart: offset + 1) }
            if byte == double { return Quote(start: offset, delimiter: double, triple: false, escapes: true, multiline: true, contentStart: offset + 1) }
            return nil
        case .ruby, .sql:
            if byte == single { return Quote(start: offset, delimiter: single, triple: false, escapes: language == .ruby, multiline: language == .sql, contentStart: offset + 1) }
            if byte == double { return Quote(start: offset, delimiter: double, triple: false, escapes: language == .ruby, multiline: false, contentStart: offset + 1) }
            return nil
        case .javascript:
            if byte == single || byte == double {
                return Quote(start: offset, delimiter: byte, triple: false, escapes: true, multiline: false, contentStart: offset + 1)
            }
            if byte == backtick {
                return Quote(start: offset, delimiter: backtick, triple: false, escapes: true, multiline: true, contentStart: offset + 1)
            }
            // A regular expression where an operand is expected: `(/re/`, `= /re/`, `return /re/`.
            if byte == UInt8(ascii: "/"), previous == 0 || Self.operandExpected.contains(previous) {
                return Quote(start: offset, delimiter: byte, triple: false, escapes: true, multiline: false, contentStart: offset + 1)
            }
            return nil
        case .go:
            if byte == double || byte == single {
                return Quote(start: offset, delimiter: byte, triple: false, escapes: true, multiline: false, contentStart: offset + 1)
            }
            if byte == backtick {
                return Quote(start: offset, delimiter: backtick, triple: false, escapes: false, multiline: true, contentStart: offset + 1)
            }
            return nil
        case .rust:
            // Strings may span lines; `r"…"` and `r#"…"#` are raw. A `'` is a character or a
            // lifetime (`'a`), so it opens nothing here.
            if byte == double {
                return Quote(start: offset, delimiter: double, triple: false, escapes: true, multiline: true, contentStart: offset + 1)
            }
            if byte == UInt8(ascii: "r"), offset == 0 || !Self.isWord(text[offset - 1]) {
                var probe = offset + 1
                while probe < text.count, probe - offset <= 4, text[probe] == UInt8(ascii: "#") { probe += 1 }
                if probe < text.count, text[probe] == double {
                    return Quote(
                        start: offset, delimiter: double, triple: false, escapes: false, multiline: true, contentStart: probe + 1,
                        hashes: probe - offset - 1)
                }
            }
            return nil
        }
    }

    private static let operandExpected: Set<UInt8> = Set("(,=:[!&|?{};+-*%<>~^".utf8)

    @inline(__always) private static func pythonPrefix(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "r") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "f") || byte == UInt8(ascii: "u")
    }

    /// Whether `byte` may open a comment, a string or a here-document in one of the languages
    /// (`#`, `/`, `-`, quotes, backtick, `<`); the lexer's slow path decides for its own language.
    @inline(__always) private static func mayOpen(_ byte: UInt8) -> Bool {
        let below64: UInt64 = 1 << 0x22 | 1 << 0x23 | 1 << 0x27 | 1 << 0x2D | 1 << 0x2F | 1 << 0x3C
        return byte < 64 ? (below64 >> UInt64(byte)) & 1 != 0 : byte == UInt8(ascii: "`")
    }

    /// For each byte: 0 when it is no word byte, 1 for a digit, `_` or a lower-case letter,
    /// 2 for an upper-case one (lower-cased as the word is run through). Never freed.
    nonisolated(unsafe) private static let wordBytes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            table[byte] = byte >= 0x41 && byte <= 0x5A ? 2 : isWord(UInt8(byte)) ? 1 : 0
        }
        return UnsafePointer(table)
    }()

    @inline(__always) private static func isWord(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
    }

    /// Marks the literal from its content to its closing delimiter and moves past it.
    private mutating func string(_ quote: Quote) {
        index = quote.contentStart
        let count = text.count
        var inClass = false
        while index < count {
            let byte = lower(index)
            if quote.escapes, byte == UInt8(ascii: "\\") {
                marks[index] = 1
                if index + 1 < count, text[index + 1] != Self.newline || quote.multiline {
                    _ = lower(index + 1)
                    marks[index + 1] = 1
                    index += 2
                } else {
                    index += 1
                }
                continue
            }
            if byte == Self.newline, !quote.multiline {
                return
            }
            if quote.delimiter == UInt8(ascii: "/") {
                if byte == UInt8(ascii: "[") { inClass = true } else if byte == UInt8(ascii: "]") { inClass = false }
                if inClass {
                    marks[index] = 1
                    index += 1
                    continue
                }
            }
            if byte == quote.delimiter, quote.hashes == 0 || (1...quote.hashes).allSatisfy({ at(index + $0) == UInt8(ascii: "#") }) {
                if !quote.triple {
                    index += 1 + quote.hashes
                    return
                }
                if at(index + 1) == quote.delimiter, at(index + 2) == quote.delimiter {
                    index += 3
                    return
                }
            }
            marks[index] = 1
            index += 1
        }
    }

    /// A shell here-document at `offset` (`<<EOF`, `<<-'EOF'`, `<<"EOF"`): marks its
    /// body as a string and returns the offset after its closing line.
    private mutating func hereDocument(at offset: Int) -> Int? {
        // Looked at as written: `at` lower-cases, and the delimiter's first letter is probed here.
        func raw(_ offset: Int) -> UInt8 { offset < text.count ? text[offset] : 0 }
        guard raw(offset + 1) == UInt8(ascii: "<"), raw(offset + 2) != UInt8(ascii: "<") else { return nil }
        var probe = offset + 2
        let stripTabs = raw(probe) == UInt8(ascii: "-")
        if stripTabs { probe += 1 }
        while raw(probe) == 0x20 { probe += 1 }
        let quoted = raw(probe) == UInt8(ascii: "'") || raw(probe) == UInt8(ascii: "\"")
        if quoted { probe += 1 }
        // The delimiter word is compared as written: read it before lower-casing the body.
        var word: [UInt8] = []
        while probe < text.count, Self.isWord(text[probe]) || text[probe] == UInt8(ascii: "-"), word.count < 64 {
            word.append(text[probe])
            probe += 1
        }
        guard !word.isEmpty else { return nil }
        for offset in offset..<probe { _ = lower(offset) }
        // The body starts on the next line.
        var lineStart = probe
        while lineStart < text.count, text[lineStart] != Self.newline { _ = lower(lineStart); lineStart += 1 }
        lineStart += 1
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != Self.newline { lineEnd += 1 }
            var first = lineStart
            if stripTabs { while first < lineEnd, text[first] == 0x09 { first += 1 } }
            if lineEnd - first == word.count, text[first..<lineEnd].elementsEqual(word) {
                for offset in lineStart..<lineEnd { _ = lower(offset) }
                return min(text.count, lineEnd + 1)
            }
            for offset in lineStart..<lineEnd {
                _ = lower(offset)
                marks[offset] = 1
            }
            lineStart = lineEnd + 1
        }
        return text.count
    }
}
