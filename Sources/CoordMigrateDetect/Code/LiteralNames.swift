import Foundation

/// Names read out of string literals: what a folder, a log, a route or a request is
/// called on the line that touches it. Each looks only at the line (or a bounded
/// window after a phrase), so a minified one-line program costs a window, not a file.
extension LexedSource {
    /// The most bytes a name read from a literal may have.
    static let nameLimit = 80

    @inline(__always) private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D || byte == 0x2E
    }

    /// The path (letters, digits, `.`, `_`, `-`, `/`) inside the string literal around the
    /// phrase at `offset`, up to an interpolation: `inbox` of `"inbox/${to}/"`,
    /// `bus/events.jsonl` of `"bus/events.jsonl"`, `reports/urgent` of
    /// `"$agent/reports/urgent/"`; a bare extension reads as `*.jsonl`. In shell, bare words
    /// count too. Nil when the phrase is not in a literal or the path has no letter.
    func nameToken(around offset: Int, length: Int) -> String? {
        // In shell a path is a bare word as often as a string.
        let bare = language == .shell
        guard offset >= 0, offset < text.count, inString[offset] != 0 || bare else { return nil }
        func inside(_ index: Int) -> Bool { (inString[index] != 0 || bare) && Self.isPathByte(text[index]) }
        var start = offset
        while start > 0, offset - start < Self.nameLimit, inside(start - 1) { start -= 1 }
        // `$agent/inbox`: the run began inside a variable's name; the path starts after it.
        // `$INBOX_DIR` or `${INBOX_DIR}` is the variable itself: it names no folder.
        let dollar = UInt8(ascii: "$"), brace = UInt8(ascii: "{")
        if start > 0, text[start - 1] == dollar || (text[start - 1] == brace && start > 1 && text[start - 2] == dollar) {
            guard let slash = text[start..<offset].firstIndex(of: UInt8(ascii: "/")) else { return nil }
            start = slash + 1
        }
        var end = offset
        let phraseEnd = min(text.count, offset + length)
        while end < phraseEnd, Self.isPathByte(text[end]) { end += 1 }
        if end == phraseEnd {
            while end < text.count, end - start < Self.nameLimit, inside(end) { end += 1 }
        }
        // A sentence that mentions a folder is prose, not a path: a blank in the literal before
        // the phrase, or after it before the first interpolation (`$(date -u …)` may hold blanks).
        if inString[offset] != 0 {
            var low = offset, high = offset
            while low > 0, offset - low < 256, inString[low - 1] != 0 { low -= 1 }
            let interpolation = Set("${`".utf8)
            while high < text.count, high - offset < 256, inString[high] != 0, !interpolation.contains(text[high]) { high += 1 }
            if text[low..<high].contains(where: { $0 == 0x20 || $0 == 0x09 }) { return nil }
        }
        // `name=value` and `?key=`: a variable or a setting being given a value, not a path.
        if end < text.count, text[end] == UInt8(ascii: "=") { return nil }
        if start > 0, text[start - 1] == UInt8(ascii: "?") || text[start - 1] == UInt8(ascii: "&") { return nil }
        let home = start >= 1 && text[start - 1] == UInt8(ascii: "~") && text[start] == UInt8(ascii: "/")
            || start >= 2 && text[start - 1] == UInt8(ascii: "/") && text[start - 2] == UInt8(ascii: "~")
        var token = String(decoding: text[start..<end], as: UTF8.self)
        while token.hasSuffix(".") || token.hasSuffix("/") { token.removeLast() }
        while token.hasPrefix("./") { token.removeFirst(2) }
        while token.hasPrefix("/") { token.removeFirst() }
        guard token.contains(where: \.isLetter) else { return nil }
        // `.json` alone is an extension; `.bus/inbox` is a hidden folder.
        if token.hasPrefix("."), !token.dropFirst().contains("."), !token.contains("/") { token = "*" + token }
        // A path under the home folder (`~/.bus/inbox`) keeps its `~/`: it is not in the tree.
        if home { token = "~/" + token }
        return token
    }

    /// The home-folder path a phrase at `offset` starts (`"~/.amail/mail.db"`, `$HOME/.bus/inbox`):
    /// `~/` and the path after it, up to an interpolation or the end of the literal. Nil when the
    /// path is empty or has no letter. In any language but shell, only inside a string literal.
    func homePath(at offset: Int, length: Int) -> String? {
        guard offset >= 0, offset + length <= text.count else { return nil }
        var start = offset + length
        // The phrase's own quote, if any, is not part of the path.
        guard language == .shell || (start < text.count && inString[start] != 0) else { return nil }
        while start < text.count, text[start] == UInt8(ascii: "/") { start += 1 }
        var end = start
        while end < text.count, end - start < Self.nameLimit, Self.isPathByte(text[end]), language == .shell || inString[end] != 0 { end += 1 }
        var path = String(decoding: text[start..<end], as: UTF8.self)
        while path.hasSuffix(".") { path.removeLast() }
        guard path.contains(where: \.isLetter), !path.contains("..") else { return nil }
        return "~/" + path
    }

    @inline(__always) private static func isPathByte(_ byte: UInt8) -> Bool {
        isNameByte(byte) || byte == UInt8(ascii: "/")
    }

    /// The first string literal on `line` at or after `offset`, without its quotes and
    /// trimmed: a route's path or a tool's name. Nil when there is none, or it holds no letter
    /// or slash, or is longer than ``nameLimit``.
    func firstLiteral(onLine line: Int, after offset: Int) -> String? {
        let (start, end) = bounds(of: line)
        var index = max(start, offset)
        while index < end, inString[index] == 0 { index += 1 }
        guard index < end else { return nil }
        var stop = index
        while stop < end, inString[stop] != 0, stop - index <= Self.nameLimit { stop += 1 }
        guard stop - index <= Self.nameLimit else { return nil }
        let literal = String(decoding: text[index..<stop], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !literal.isEmpty, literal.contains(where: { $0.isLetter || $0 == "/" }) else { return nil }
        return literal
    }

    /// The path of a URL or absolute path in a literal on `line`: `/messages` of
    /// `"http://localhost:8080/messages"` or of `"/messages"`. Stops at an interpolation
    /// (`$`, `{`, `%`), a query or a quote. Nil when the line has none.
    func urlPath(onLine line: Int) -> String? {
        let (start, end) = bounds(of: line)
        var index = start
        while index < end {
            guard inString[index] != 0 else {
                index += 1
                continue
            }
            var literalEnd = index
            while literalEnd < end, inString[literalEnd] != 0 { literalEnd += 1 }
            let literal = text[index..<literalEnd]
            var pathStart: Int?
            if let scheme = firstIndex(of: Array("://".utf8), in: literal) {
                var at = scheme + 3
                while at < literalEnd, text[at] != UInt8(ascii: "/") { at += 1 }
                if at < literalEnd { pathStart = at }
            } else if text[index] == UInt8(ascii: "/") {
                pathStart = index
            }
            if let pathStart {
                var stop = pathStart
                let stops = Set("${%?#\"'` ".utf8)
                while stop < literalEnd, !stops.contains(text[stop]), stop - pathStart < Self.nameLimit { stop += 1 }
                var path = String(decoding: text[pathStart..<stop], as: UTF8.self)
                while path.count > 1, path.hasSuffix("/") { path.removeLast() }
                if path.contains(where: \.isLetter) { return path }
            }
            index = literalEnd
        }
        return nil
    }

    /// Whether a shell line redirects output into a file (`> file`, `>> "$log"`, `cat > x <<EOF`):
    /// a `>` in code, outside `[[ … ]]`, that is not `>&2` or `> /dev/null`.
    func shellRedirects(onLine line: Int) -> Bool {
        let (start, end) = bounds(of: line)
        var index = start
        while index < end {
            if text[index] == UInt8(ascii: ">"), inString[index] == 0, !insideShellTest(index, lineStart: start) {
                var next = index + 1
                if next < end, text[next] == UInt8(ascii: ">") { next += 1 }
                while next < end, text[next] == 0x20 { next += 1 }
                let rest = text[next..<min(end, next + 9)]
                if next < end, text[next] != UInt8(ascii: "&"), !rest.elementsEqual("/dev/null".utf8) { return true }
            }
            index += 1
        }
        return false
    }

    /// The literal a line starts with (`  "msg_send",`), or nil when it starts otherwise.
    func leadingLiteral(onLine line: Int) -> String? {
        let (start, end) = bounds(of: line)
        var index = start
        while index < end, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
        guard index + 1 < end, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`")].contains(text[index]), inString[index + 1] != 0 else {
            return nil
        }
        return firstLiteral(onLine: line, after: index)
    }

    /// The name a function definition on `line` gives (`def log_event(`, `async def send(`,
    /// `function send(`, `func Send(`), or nil.
    func definedName(onLine line: Int) -> String? {
        let (start, end) = bounds(of: line)
        guard start < end else { return nil }
        let words = String(decoding: text[start..<min(end, start + 200)], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" })
        // The definition keyword leads the line (after `async`, `export`, `pub`…), or follows `)` for a Go method.
        guard let keyword = words.prefix(3).firstIndex(where: { ["def", "function", "func", "fn"].contains($0) }), keyword + 1 < words.count else {
            return nil
        }
        let name = words[keyword + 1]
        guard name.count <= Self.nameLimit, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return String(name)
    }

    /// Whether `offset` lies inside a shell test `[[ … ]]` opened earlier on its line.
    func insideShellTest(_ offset: Int, lineStart: Int) -> Bool {
        var index = max(lineStart, offset - 512)
        var open = false
        while index + 1 < offset {
            if text[index] == UInt8(ascii: "["), text[index + 1] == UInt8(ascii: "[") {
                open = true
                index += 2
                continue
            }
            if text[index] == UInt8(ascii: "]"), text[index + 1] == UInt8(ascii: "]") { open = false }
            index += 1
        }
        return open
    }

    private func bounds(of line: Int) -> (Int, Int) {
        guard line >= 1, line <= lineStarts.count else { return (0, 0) }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] - 1 : text.count
        return (start, max(start, end))
    }

    private func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
