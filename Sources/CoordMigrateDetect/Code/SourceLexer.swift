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
        // Lower-cased as it is copied, in one loop the compiler vectorises: the lexer then only
        // reads. Here-document delimiters, compared as written, are read from `bytes`.
        text = [UInt8](unsafeUninitializedCapacity: bytes.count) { lowered, initialized in
            bytes.withUnsafeBufferPointer { original in
                for offset in 0..<original.count {
                    let byte = original[offset]
                    lowered[offset] = byte &- 65 < 26 ? byte &+ 32 : byte
                }
            }
            initialized = bytes.count
        }
        inString = [UInt8](repeating: 0, count: bytes.count)
        bytes.withUnsafeBufferPointer { original in
            text.withUnsafeMutableBufferPointer { text in
                inString.withUnsafeMutableBufferPointer { marks in
                    var lexer = Lexer(text: text, marks: marks, original: original, language: language)
                    lexer.run()
                }
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

/// The lexing state machine over one lower-cased buffer.
private struct Lexer {
    let text: UnsafeMutableBufferPointer<UInt8>
    let marks: UnsafeMutableBufferPointer<UInt8>
    /// The text as written, for what is compared in its own case (a here-document's delimiter).
    let original: UnsafeBufferPointer<UInt8>
    let language: SourceLanguage
    var index = 0

    init(
        text: UnsafeMutableBufferPointer<UInt8>, marks: UnsafeMutableBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>,
        language: SourceLanguage
    ) {
        self.text = text
        self.marks = marks
        self.original = original
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
        let classes = Self.byteClasses + 256 * Self.languageRow(language)
        while index < count {
            // Words, blanks and punctuation that opens nothing: all that matters of a run of them is its
            // last byte that is not blank, and whether there is one. One loop without a branch to
            // mispredict on each word and space; it stops at a newline or a byte that may open something.
            var end = index
            var lastCode = -1
            while end < count {
                let kind = classes[Int(text[end])]
                if kind > Self.blank {
                    // A letter that may prefix a string (`f"…"`) does so only at a word's start.
                    guard kind == Self.prefix, end > 0, words[Int(text[end - 1])] != 0 else { break }
                }
                if kind != Self.blank { lastCode = end }
                end += 1
            }
            if lastCode >= 0 {
                previous = text[lastCode]
                lineHasCode = true
            }
            index = end
            guard index < count else { break }
            if text[index] == Self.newline {
                lineHasCode = false
                index += 1
            } else {
                step(previous: &previous, lineHasCode: &lineHasCode)
            }
        }
    }

    /// One step at a byte that may open a comment, a string or a here-document, or at a letter that
    /// may start a string (Python's `f"`, Rust's `r#"`).
    /// A prefix letter that starts no string is one byte of code here; `run` takes the rest of its word.
    private mutating func step(previous: inout UInt8, lineHasCode: inout Bool) {
        let byte = text[index]
        if startsComment(at: index, previous: previous) {
            blankComment()
            return
        }
        if let quote = stringOpening(at: index, previous: previous, lineHasCode: lineHasCode) {
            // A docstring is a statement of its own; a triple-quoted string that opens a line after
            // `(`, `,`, `=` or an operator is a value (`executescript(\n"""CREATE TABLE …"""`).
            let docstring = quote.triple && !lineHasCode && language == .python && !Self.valueContext.contains(previous)
            string(quote)
            if docstring { blank(from: quote.start, to: index) }
            previous = UInt8(ascii: "\"")
            lineHasCode = true
            return
        }
        if language == .shell, byte == UInt8(ascii: "<"), let body = hereDocument(at: index) {
            previous = UInt8(ascii: "\"")
            lineHasCode = true
            index = body
            return
        }
        previous = byte
        lineHasCode = true
        index += 1
    }

    // The classes of ``byteClasses``.
    private static let plain: UInt8 = 0, word: UInt8 = 1, blank: UInt8 = 2, newlineClass: UInt8 = 3, open: UInt8 = 4, prefix: UInt8 = 5

    private static func languageRow(_ language: SourceLanguage) -> Int { SourceLanguage.allCases.firstIndex(of: language)! }

    /// For each language a row of 256: what a byte of lower-cased text is — ``plain`` punctuation
    /// that opens nothing in any language, a ``word`` byte, a ``blank``, a newline, ``open``: a byte
    /// that may open a comment, a string or a here-document (`#`, `/`, `-`, quotes, backtick, `<`),
    /// or a ``prefix``: a letter that may start a string in this language (Python's `r`, `b`, `f`,
    /// `u`; Rust's `r`). ``step(previous:lineHasCode:)`` decides the last two. Never freed.
    nonisolated(unsafe) private static let byteClasses: UnsafePointer<UInt8> = {
        let languages = SourceLanguage.allCases
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 * languages.count)
        for (row, language) in languages.enumerated() {
            for value in 0..<256 {
                let byte = UInt8(value)
                let prefix = (language == .python && pythonPrefix(byte)) || (language == .rust && byte == UInt8(ascii: "r"))
                table[256 * row + value] =
                    byte == newline ? newlineClass
                    : byte == 0x20 || byte == 0x09 || byte == 0x0D ? blank
                    : isWord(byte) ? (prefix ? Self.prefix : word)
                    : mayOpen(byte) ? open : plain
            }
        }
        return UnsafePointer(table)
    }()

    @inline(__always) private func at(_ offset: Int) -> UInt8 { offset < text.count ? text[offset] : 0 }

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

    /// For each byte: 1 when it is a word byte (a letter, a digit, `_`), else 0. Never freed.
    nonisolated(unsafe) private static let wordBytes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            table[byte] = isWord(UInt8(byte)) ? 1 : 0
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
        let regex = quote.delimiter == UInt8(ascii: "/")
        var inClass = false
        while index < count {
            // Most of a literal is bytes that neither end nor escape anything: run through them.
            var end = index
            while end < count {
                let byte = text[end]
                if byte == quote.delimiter || byte == UInt8(ascii: "\\") || byte == Self.newline
                    || (regex && (byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")))
                {
                    break
                }
                end += 1
            }
            if end > index {
                marks.baseAddress!.advanced(by: index).update(repeating: 1, count: end - index)
                index = end
                if index == count { return }
            }
            let byte = text[index]
            if quote.escapes, byte == UInt8(ascii: "\\") {
                marks[index] = 1
                if index + 1 < count, text[index + 1] != Self.newline || quote.multiline {
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
            if regex {
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
        guard at(offset + 1) == UInt8(ascii: "<"), at(offset + 2) != UInt8(ascii: "<") else { return nil }
        var probe = offset + 2
        let stripTabs = at(probe) == UInt8(ascii: "-")
        if stripTabs { probe += 1 }
        while at(probe) == 0x20 { probe += 1 }
        let quoted = at(probe) == UInt8(ascii: "'") || at(probe) == UInt8(ascii: "\"")
        if quoted { probe += 1 }
        // The delimiter is compared as written (`<<EOF` is not closed by `eof`): read in the original.
        var word: [UInt8] = []
        while probe < original.count, Self.isWord(original[probe]) || original[probe] == UInt8(ascii: "-"), word.count < 64 {
            word.append(original[probe])
            probe += 1
        }
        guard !word.isEmpty else { return nil }
        // The body starts on the next line.
        var lineStart = probe
        while lineStart < text.count, text[lineStart] != Self.newline { lineStart += 1 }
        lineStart += 1
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != Self.newline { lineEnd += 1 }
            var first = lineStart
            if stripTabs { while first < lineEnd, text[first] == 0x09 { first += 1 } }
            if lineEnd - first == word.count, original[first..<lineEnd].elementsEqual(word) {
                return min(text.count, lineEnd + 1)
            }
            marks.baseAddress!.advanced(by: lineStart).update(repeating: 1, count: lineEnd - lineStart)
            lineStart = lineEnd + 1
        }
        return text.count
    }
}
