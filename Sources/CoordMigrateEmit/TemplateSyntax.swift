import Mustache

/// Why a user's template does not parse, and where: `plan.tmpl:12:5: unclosed section "steps"`.
///
/// Lines and columns count from 1; a column counts Characters, as an editor does.
public struct TemplateSyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The template's file as the user named it; nil when the text came from elsewhere.
    public var file: String?
    /// The line the problem starts on.
    public var line: Int
    /// The column the problem starts at.
    public var column: Int
    /// What is wrong, in a few words.
    public var message: String

    /// An error at `line`:`column` of `file`.
    package init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message` on one line (`template:` when the file is not known).
    public var description: String { "\(file ?? "template"):\(line):\(column): \(message)" }
}

/// Finds the first mistake in a template's tags, in the terms a template's author
/// uses: the section left open (where it opened), the closing tag with no section,
/// the tag that is not closed or holds something other than a name.
///
/// It reads the tags as swift-mustache does (the same delimiters, `{{=<% %>=}}`
/// holding to the end of the section it is set in, names of the characters
/// swift-mustache accepts) and also knows the `{{! part }}` cuts of
/// ``PartedTemplate``, which a section may not span. It does not recurse, so any
/// nesting depth is safe to read.
enum TemplateSyntax {
    /// The characters swift-mustache accepts in a tag's name (transforms included).
    private static let nameCharacters = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let partialNameCharacters = nameCharacters.union(["/"])

    private struct Open {
        var name: String
        var at: Int
        var start: [Character]
        var end: [Character]
    }

    /// The first mistake in `text`, or nil when its tags are well formed.
    static func firstError(in text: String) -> TemplateSyntaxError? {
        let chars = Array(text)
        var lineStarts = [0]
        for (index, character) in chars.enumerated() where character.isNewline { lineStarts.append(index + 1) }
        /// The 0-based line of `index`: the last line start at or before it.
        func lineIndex(of index: Int) -> Int {
            var low = 0
            var high = lineStarts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lineStarts[middle] <= index { low = middle } else { high = middle - 1 }
            }
            return low
        }
        func error(at index: Int, _ message: String) -> TemplateSyntaxError {
            let line = lineIndex(of: index)
            return TemplateSyntaxError(line: line + 1, column: index - lineStarts[line] + 1, message: message)
        }
        func location(of index: Int) -> String {
            let place = error(at: index, "")
            return "line \(place.line), column \(place.column)"
        }

        var start: [Character] = ["{", "{"]
        var end: [Character] = ["}", "}"]
        var open: [Open] = []
        var index = 0

        func matches(_ delimiter: [Character], at position: Int) -> Bool {
            guard position + delimiter.count <= chars.count else { return false }
            for offset in delimiter.indices where chars[position + offset] != delimiter[offset] { return false }
            return true
        }
        func next(_ delimiter: [Character], from position: Int) -> Int? {
            var at = position
            while at + delimiter.count <= chars.count {
                if matches(delimiter, at: at) { return at }
                at += 1
            }
            return nil
        }
        /// The tag as written, on one line and shortened, for a message.
        func shown(_ range: Range<Int>) -> String {
            let text = String(chars[range].map { $0.isNewline || $0 == "\t" ? " " : $0 })
            let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
            return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
        }
        func tag(_ name: String, _ sigil: String = "") -> String { String(start) + sigil + name + String(end) }

        while index < chars.count {
            guard matches(start, at: index) else {
                index += 1
                continue
            }
            let tagStart = index
            let kind = index + start.count
            guard kind < chars.count else {
                return error(at: tagStart, "malformed tag: the template ends after \"\(String(start))\"")
            }
            let sigil = chars[kind]
            switch sigil {
            case "!":
                guard let close = next(end, from: kind + 1) else {
                    return error(at: tagStart, "unclosed comment: no \"\(String(end))\" after \"\(String(start))!\"")
                }
                if let section = open.last {
                    let line = lineIndex(of: tagStart)
                    let lineEnd = line + 1 < lineStarts.count ? lineStarts[line + 1] : chars.count
                    if lineEnd - lineStarts[line] <= 64, String(chars[lineStarts[line]..<lineEnd]).trimmingSpaces == PartedTemplate.marker {
                        return error(
                            at: section.at,
                            "section \"\(section.name)\" is still open at the \(PartedTemplate.marker) cut on line \(line + 1); "
                                + "close it before the cut")
                    }
                }
                index = close + end.count
            case "=":
                // {{=<% %>=}}: two words, then `=` and the current end delimiter.
                var at = kind + 1
                func skipSpace() { while at < chars.count, chars[at].isWhitespace { at += 1 } }
                func word(until stop: (Character) -> Bool) -> [Character] {
                    let first = at
                    while at < chars.count, !stop(chars[at]) { at += 1 }
                    return Array(chars[first..<at])
                }
                skipSpace()
                let newStart = word { $0.isWhitespace }
                skipSpace()
                let newEnd = word { $0 == "=" || $0.isWhitespace }
                skipSpace()
                guard at < chars.count, chars[at] == "=", matches(end, at: at + 1), !newStart.isEmpty, !newEnd.isEmpty else {
                    return error(at: tagStart, "malformed set-delimiter tag; write it like \(tag("<% %>=", "="))")
                }
                index = at + 1 + end.count
                start = newStart
                end = newEnd
            case "%":
                guard let close = next(end, from: kind + 1) else {
                    return error(at: tagStart, "unclosed pragma: no \"\(String(end))\" after \"\(String(start))%\"")
                }
                index = close + end.count
            default:
                let nameStart = "#^/{&$<>".contains(sigil) ? kind + 1 : kind
                var close = nameStart
                while close < chars.count, chars[close].isWhitespace { close += 1 }
                let nameFirst = close
                let allowed = sigil == ">" ? partialNameCharacters : nameCharacters
                while close < chars.count, allowed.contains(chars[close]) { close += 1 }
                let name = String(chars[nameFirst..<close])
                while close < chars.count, chars[close].isWhitespace { close += 1 }
                guard matches(end, at: close) else {
                    guard let found = next(end, from: nameStart) else {
                        return error(at: tagStart, "unclosed tag: no \"\(String(end))\" closes \"\(shown(tagStart..<min(nameStart + 20, chars.count)))\"")
                    }
                    return error(
                        at: tagStart,
                        "malformed tag \"\(shown(tagStart..<(found + end.count)))\": a name holds only letters, digits and . - _ ? * ( )")
                }
                index = close + end.count
                switch sigil {
                case "{":
                    guard index < chars.count, chars[index] == "}" else {
                        return error(at: tagStart, "malformed tag \"\(shown(tagStart..<index))\": \"{{{\" needs a third closing brace, as in {{{\(name)}}}")
                    }
                    index += 1
                case "#", "^", "$", "<":
                    open.append(Open(name: name, at: tagStart, start: start, end: end))
                case "/":
                    guard let section = open.last else {
                        return error(at: tagStart, "stray closing tag \(tag(name, "/")): no section is open")
                    }
                    guard section.name == name else {
                        return error(
                            at: tagStart,
                            "closing tag \(tag(name, "/")) does not match the open section \"\(section.name)\" (opened at \(location(of: section.at)))")
                    }
                    open.removeLast()
                    start = section.start
                    end = section.end
                default:
                    break
                }
            }
        }
        if let section = open.last {
            return error(at: section.at, "unclosed section \"\(section.name)\": no \(String(section.start))/\(section.name)\(String(section.end)) closes it")
        }
        return nil
    }

    /// swift-mustache's own error, for what ``firstError(in:)`` does not catch, in words.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else {
            return String(describing: error) == "overflow" ? "the template ends inside a tag or comment" : "the template does not parse"
        }
        switch error {
        case .sectionCloseNameIncorrect: return "a closing tag does not match the open section"
        case .unfinishedName: return "malformed tag: expected a name and then the closing delimiter"
        case .expectedSectionEnd: return "unclosed section"
        case .invalidSetDelimiter: return "malformed set-delimiter tag; write it like {{=<% %>=}}"
        case .transformAppliedToInheritanceSection: return "a transform cannot apply to an inheritance section"
        case .illegalTokenInsideInheritSection: return "only {{$block}} sections may stand inside a {{<partial}} section"
        case .textInsideInheritSection: return "text may not stand inside a {{<partial}} section"
        case .invalidConfigVariableSyntax: return "malformed pragma; write it like {{% CONTENT_TYPE: MARKDOWN}}"
        case .unrecognisedConfigVariable: return "unknown pragma or content type; use CONTENT_TYPE with MARKDOWN or HTML_TEXT"
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
