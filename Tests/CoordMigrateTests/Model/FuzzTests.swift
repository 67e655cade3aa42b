@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
internal import CLibXML2
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Bounded property tests: seeded random input, a few hundred cases per property.
// A failure names the seed and the iteration, so it can be replayed; set
// COORD_MIGRATE_FUZZ_SEED to explore other seeds.

/// The seed for a property: a fixed one per property, or the environment's.
fileprivate func fuzzSeed(_ fixed: UInt64) -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["COORD_MIGRATE_FUZZ_SEED"], let seed = UInt64(text) {
        return seed ^ fixed
    }
    return fixed
}

/// Random text built to upset escapers: Markdown, HTML and shell syntax, C0 and C1
/// controls, line separators, combining marks, non-characters, wide and astral scalars.
fileprivate enum FuzzText {
    static let specials = Array("<>&*_[]()#!|~\\`'\"$;{}-+=.:,/?@%^ 0123456789\t\n\r")

    static func scalar(using rng: inout SplitMix64, allowNUL: Bool = true) -> Unicode.Scalar {
        let roll = Int.random(in: 0..<100, using: &rng)
        let value: UInt32
        switch roll {
        case 0..<28: value = UInt32.random(in: 0x20...0x7E, using: &rng)
        case 28..<50: return specials.randomElement(using: &rng)!.unicodeScalars.first!
        case 50..<60: value = allowNUL ? UInt32.random(in: 0x00...0x1F, using: &rng) : UInt32.random(in: 0x01...0x1F, using: &rng)
        case 60..<62: value = 0x7F
        case 62..<67: value = UInt32.random(in: 0x80...0x9F, using: &rng)
        case 67..<72: value = [0x2028, 0x2029, 0xFEFF, 0x202E, 0x200B, 0x00A0, 0x1B].randomElement(using: &rng)!
        case 72..<80: value = UInt32.random(in: 0x300...0x36F, using: &rng)  // combining marks
        case 80..<84: value = [0xFFFE, 0xFFFF, 0xFFFD, 0xFDD0, 0x1FFFE].randomElement(using: &rng)!
        case 84..<95:
            var candidate = UInt32.random(in: 0xA0...0xFFFD, using: &rng)
            if (0xD800...0xDFFF).contains(candidate) { candidate = 0x4E2D }
            value = candidate
        default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
        }
        return Unicode.Scalar(value) ?? "?"
    }

    static func string(using rng: inout SplitMix64, maxLength: Int = 40, allowNUL: Bool = true) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length { scalars.append(scalar(using: &rng, allowNUL: allowNUL)) }
        return String(scalars)
    }

    /// A Swift literal for a failure message: every non-ASCII or control scalar as \u{…}.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out + "\""
    }
}

/// Random configuration files: raw bytes, token soup, and mutated valid documents.
fileprivate enum FuzzConfig {
    static let yamlTokens = [
        "agents", "authority_domains", "database", "type", "name", "id", ":", ": ", ",", "-", "- ", "{", "}", "[", "]",
        " ", "  ", "\n", "\n  ", "\n    ", "\t", "\"", "'", "&a ", "*a", "*b", "<<: ", "!!str ", "!!map ", "!!binary ",
        "!custom ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "# c\n", "|\n", ">-\n", "? ", "~", "null",
        "true", "1e999", "-0x1F", ".nan", "0o17", "\\", "\\x00", "\\u0000", "\\ud800", "\u{FEFF}", "\r\n", "\r", "@", "`",
        "é", "😀", "\u{2028}", "\u{85}", "\u{1B}[31m", "<script>", "&amp;",
    ]
    static let jsonTokens = [
        "{", "}", "[", "]", ":", ",", "\"", "\"agents\"", "\"authority_domains\"", "\"database\"", "\"type\"", "null",
        "true", "false", "0", "-1", "1e999", "-0.0e-7", "01", "\\", "\\u0000", "\\ud800", "\\udc00\\ud800", "\\\"",
        "\\n", " ", "\n", "\t", "\r", "\u{FEFF}", "é", "😀", "/*", "//", "NaN", "Infinity",
    ]
    static let valid: [(String, String)] = [
        ("yaml", "agents:\n  code:\n    role: dev\n    authority_domains: [arch, api]\n  chat: {}\ndatabase:\n  type: sqlite\n"),
        ("yaml", "defaults: &d\n  authority_domains: [x]\nagents:\n  - name: a\n    <<: *d\n  - id: b\n"),
        ("json", "{\"agents\": {\"a\": {\"authority_domains\": [\"x\"]}, \"b\": {}}, \"database\": \"postgresql\"}"),
        ("json", "[{\"name\": \"a\"}, {\"id\": 2}, \"c\", null, [1, 2]]"),
    ]

    static func bytes(using rng: inout SplitMix64, json: Bool) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            let length = Int.random(in: 0...600, using: &rng)
            return (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:
            let tokens = json ? jsonTokens : yamlTokens
            var out: [UInt8] = []
            for _ in 0..<Int.random(in: 0...80, using: &rng) {
                out += Array(tokens.randomElement(using: &rng)!.utf8)
            }
            return out
        case 2:
            // A burst of nesting, well within what any parser must survive.
            let depth = Int.random(in: 1...200, using: &rng)
            let (open, close) = json ? ("[", "]") : (Bool.random(using: &rng) ? ("[", "]") : ("{a: ", "}"))
            let closed = Int.random(in: 0...depth, using: &rng)
            return Array((String(repeating: open, count: depth) + String(repeating: close, count: closed)).utf8)
        default:
            let candidates = valid.filter { ($0.0 == "json") == json }
            var out = Array(candidates.randomElement(using: &rng)!.1.utf8)
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let position = Int.random(in: 0...out.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where position < out.count: out[position] = UInt8.random(in: 0...255, using: &rng)
                case 1 where position < out.count: out.remove(at: position)
                default:
                    let tokens = json ? jsonTokens : yamlTokens
                    out.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position)
                }
            }
            return out
        }
    }
}

@Suite("Fuzz: parsers and escapers under random input")
struct FuzzTests {
    static let iterations = 300

    // MARK: (a) configuration parsing

    @Test("ConfigParser.parse never crashes on random bytes: it returns a document or throws ConfigError",
          arguments: ["yaml", "json"])
    func configParsing(_ fileExtension: String) {
        let seed = fuzzSeed(fileExtension == "json" ? 0xC0FF_EE01 : 0xC0FF_EE02)
        var rng = SplitMix64(seed: seed)
        var parsed = 0, refused = 0
        for iteration in 0..<Self.iterations {
            let bytes = FuzzConfig.bytes(using: &rng, json: fileExtension == "json")
            let context = "seed \(seed) iteration \(iteration): \(bytes.count) bytes \(bytes.prefix(48).map { String($0, radix: 16) })"
            do {
                let document = try ConfigParser.parse(bytes, fileExtension: fileExtension[...])
                // What detection does next must not trip on whatever came back.
                _ = AgentConfigSummary(document, isAgentsFile: iteration % 2 == 0)
                parsed += 1
            } catch {
                // Typed throws: `error` is a ConfigError by construction; check it is usable.
                refused += 1
                #expect(!error.message.isEmpty, "\(context)")
                if let line = error.line {
                    let lines = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                    #expect(line >= 1 && line <= lines + 1, "line \(line) of \(lines): \(context)")
                }
                #expect(!error.message.contains("\n"), "a warning is one line: \(FuzzText.literal(error.message)) \(context)")
            }
        }
        #expect(parsed + refused == Self.iterations)
        #expect(parsed > 0 && refused > 0, "the generator exercises both outcomes (parsed \(parsed), refused \(refused))")
    }

    // MARK: (b) Markdown

    /// What cmark shows for `MarkdownText.inline(text)`: the cleaned text, leading
    /// spaces kept (they are written as character references), trailing spaces dropped
    /// (CommonMark strips them from a paragraph's end). Counted in scalars, as cmark does.
    static func expectedInlineText(_ text: String) -> String {
        let scalars = Array(MarkdownText.clean(text).unicodeScalars)
        let leading = scalars.prefix { $0 == " " }.count
        var rest = Array(scalars.dropFirst(leading))
        while rest.last == " " { rest.removeLast() }
        return String(String.UnicodeScalarView(Array(scalars.prefix(leading)) + rest))
    }

    /// Scalar-for-scalar equality (Swift's String == would accept canonical equivalents).
    static func same(_ a: String?, _ b: String) -> Bool {
        a.map { $0.unicodeScalars.elementsEqual(b.unicodeScalars) } ?? false
    }

    @Test("MarkdownText.inline of random text is one paragraph of plain text in cmark")
    func markdownInline() {
        let seed = fuzzSeed(0x3D_0001)
        var rng = SplitMix64(seed: seed)
        var failures = 0
        for iteration in 0..<Self.iterations {
            let text = FuzzText.string(using: &rng)
            let markdown = MarkdownText.inline(text)
            let document = CMark.parse(markdown)
            let expected = Self.expectedInlineText(text)
            let context = "seed \(seed) iteration \(iteration): \(FuzzText.literal(text)) → \(FuzzText.literal(markdown))"
            if expected.isEmpty {
                #expect(document.children.isEmpty, "\(context)")
                continue
            }
            let kinds = document.children.map(\.kind)
            let inlineKinds = document.children.first?.children.map(\.kind) ?? []
            let ok = kinds == [.paragraph] && inlineKinds.allSatisfy { $0 == .text }
                && Self.same(document.children.first?.plainText, expected)
            if !ok {
                let message = """
                    not one paragraph of text: blocks \(kinds), inlines \(inlineKinds), \
                    text \(FuzzText.literal(document.children.first?.plainText ?? "")) \
                    expected \(FuzzText.literal(expected)); \(context)
                    """
                failures += 1
                // Report the first few in full; the count says how widespread it is.
                if failures <= 5 { Issue.record(Comment(rawValue: message)) }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.iterations) random strings escaped badly (seed \(seed))")
    }

    @Test("MarkdownText.codeSpan of random text stays one code span in cmark")
    func markdownCodeSpan() {
        let seed = fuzzSeed(0x3D_0002)
        var rng = SplitMix64(seed: seed)
        var failures = 0
        for iteration in 0..<Self.iterations {
            let text = FuzzText.string(using: &rng)
            let cleaned = MarkdownText.clean(text)
            guard !cleaned.isEmpty else { continue }  // no code span can hold nothing
            let markdown = MarkdownText.codeSpan(text)
            let document = CMark.parse(markdown)
            let context = "seed \(seed) iteration \(iteration): \(FuzzText.literal(text)) → \(FuzzText.literal(markdown))"
            let kinds = document.children.map(\.kind)
            let inlines = document.children.first?.children ?? []
            var ok = kinds == [.paragraph] && inlines.count == 1 && inlines.first?.kind == .code
            // CommonMark keeps a span of nothing but spaces as it is, padding included.
            if ok, !cleaned.unicodeScalars.allSatisfy({ $0 == " " }) { ok = Self.same(inlines.first?.literal, cleaned) }
            if !ok {
                let message = """
                    not one code span: blocks \(kinds), inlines \(inlines.map(\.kind)) \
                    \(inlines.map { FuzzText.literal($0.literal) }); \(context)
                    """
                failures += 1
                // Report the first few in full; the count says how widespread it is.
                if failures <= 5 { Issue.record(Comment(rawValue: message)) }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.iterations) random strings broke out of the code span (seed \(seed))")
    }

    // MARK: (c) XML

    /// Escapes text for an XML element's content, carriage returns included (a
    /// parser would turn a raw one into a line feed).
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Parses `xml` with libxml2 (no network, no error output) and returns the root
    /// element's text and its attribute `a`, or nil when the document is not well-formed.
    static func parseXML(_ xml: String) -> (text: String, attribute: String?)? {
        let bytes = Array(xml.utf8)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "fuzz.xml", "UTF-8", options) }
        }
        guard let document = parsed else { return nil }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return nil }
        func take(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
            guard let pointer else { return nil }
            defer { free(pointer) }
            return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        }
        let text = take(xmlNodeGetContent(root)) ?? ""
        let attribute = "a".withCString { name in
            take(xmlGetProp(root, UnsafeRawPointer(name).assumingMemoryBound(to: xmlChar.self)))
        }
        return (text, attribute)
    }

    @Test("XMLText.clean output is XML 1.0 text: wrapped in an element, libxml2 parses it back unchanged")
    func xmlClean() throws {
        let seed = fuzzSeed(0x0_0C1E_A4)
        var rng = SplitMix64(seed: seed)
        for iteration in 0..<Self.iterations {
            let text = FuzzText.string(using: &rng)
            let cleaned = XMLText.clean(text)
            let context = "seed \(seed) iteration \(iteration): \(FuzzText.literal(text))"
            #expect(cleaned.unicodeScalars.allSatisfy(XMLText.isAllowed), "\(context)")
            #expect(cleaned.unicodeScalars.elementsEqual(text.unicodeScalars.filter(XMLText.isAllowed)),
                    "only forbidden characters are removed: \(context)")

            // By hand: the cleaned text as an element's content.
            let parsed = Self.parseXML("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>\(Self.xmlEscaped(cleaned))</r>")
            #expect(parsed != nil, "libxml2 rejects the element: \(context)")
            #expect(parsed?.text == cleaned, "\(FuzzText.literal(parsed?.text ?? "nil")) \(context)")

            // Through the emitter's own writer, as text and as an attribute.
            let writer = try XMLWriter()
            try writer.startDocument()
            try writer.start("r")
            try writer.attribute("a", text)
            try writer.text(text)
            try writer.end()
            let written = String(decoding: try writer.finish(), as: UTF8.self)
            let read = Self.parseXML(written)
            #expect(read != nil, "the writer's output is not well-formed: \(FuzzText.literal(written)) \(context)")
            #expect(read?.text == cleaned, "text \(FuzzText.literal(read?.text ?? "nil")) \(context)")
            // Attribute-value normalisation turns literal tab/CR/LF into spaces unless
            // they were written as character references; either way nothing else changes.
            let normalised = String(String.UnicodeScalarView(cleaned.unicodeScalars.map { "\t\r\n".unicodeScalars.contains($0) ? " " : $0 }))
            let attribute = read?.attribute ?? "nil"
            #expect(attribute == cleaned || attribute == normalised, "attribute \(FuzzText.literal(attribute)) \(context)")
        }
    }

    // MARK: (d) HTML

    /// Undoes the five references HTMLTextContentType writes, scalar by scalar; nil when
    /// an `&` starts anything else.
    static func htmlUnescaped(_ text: String) -> String? {
        let references: [([Unicode.Scalar], Unicode.Scalar)] = [
            (Array("&lt;".unicodeScalars), "<"), (Array("&gt;".unicodeScalars), ">"), (Array("&quot;".unicodeScalars), "\""),
            (Array("&#39;".unicodeScalars), "'"), (Array("&amp;".unicodeScalars), "&"),
        ]
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        next: while index < scalars.count {
            if scalars[index] == "&" {
                for (reference, character) in references
                where scalars[index...].starts(with: reference) {
                    out.append(character)
                    index += reference.count
                    continue next
                }
                return nil
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    @Test("HTML text escaping never yields < > or quotes, nor a control character, and loses nothing else")
    func htmlEscaping() {
        let seed = fuzzSeed(0x47_4D_4C)
        var rng = SplitMix64(seed: seed)
        let escaper = HTMLTextContentType()
        for iteration in 0..<Self.iterations {
            let text = FuzzText.string(using: &rng)
            let escaped = escaper.escapeText(text)
            let context = "seed \(seed) iteration \(iteration): \(FuzzText.literal(text)) → \(FuzzText.literal(escaped))"
            // Scalars, not Characters: "<" + U+0338 is one Character but still a "<" to an HTML parser.
            let markup = escaped.unicodeScalars.filter { "<>\"'".unicodeScalars.contains($0) }
            #expect(markup.isEmpty, "markup characters \(markup.map(\.value)) remain: \(context)")
            let controls = escaped.unicodeScalars.filter { ShellQuoting.isControl($0) && $0 != "\n" && $0 != "\t" }
            #expect(controls.isEmpty, "control characters \(controls.map(\.value)) remain: \(context)")
            // Nothing is lost: each scalar comes back, except that controls must become
            // U+FFFD and non-characters (U+FFFE, U+FDD0…) may.
            let unescaped = Self.htmlUnescaped(escaped)
            #expect(unescaped != nil, "an & that starts no reference: \(context)")
            let back = Array((unescaped ?? "").unicodeScalars), original = Array(text.unicodeScalars)
            let faithful = back.count == original.count && zip(original, back).allSatisfy { input, output in
                if ShellQuoting.isControl(input) && input != "\n" && input != "\t" { return output == "\u{FFFD}" }
                let replaceable = !XMLText.isAllowed(input) || (0xFDD0...0xFDEF).contains(input.value) || input.value & 0xFFFE == 0xFFFE
                return output == input || (replaceable && output == "\u{FFFD}")
            }
            #expect(faithful, "\(FuzzText.literal(unescaped ?? "nil")) \(context)")
        }
    }

    // MARK: (e) shell quoting

    @Test("ShellQuoting.quote of random text round-trips through bash as one word and runs nothing")
    func shellQuoting() throws {
        let seed = fuzzSeed(0x5E11)
        var rng = SplitMix64(seed: seed)
        let sandbox = try TempTree("fuzz-shell")
        for iteration in 0..<50 {
            // A shell word cannot hold NUL (nor can a path), so the generator leaves it out.
            let text = FuzzText.string(using: &rng, maxLength: 24, allowNUL: false)
            let quoted = ShellQuoting.quote(text)
            let context = "seed \(seed) iteration \(iteration): \(FuzzText.literal(text)) → \(FuzzText.literal(quoted))"
            #expect(!quoted.unicodeScalars.contains { ShellQuoting.isControl($0) }, "raw control character in the command: \(context)")
            let result = try runShell(
                "printf %s \(quoted)", shell: "/bin/bash",
                environment: ["HOME": sandbox.path, "LC_ALL": iteration % 5 == 4 ? "C" : "C.UTF-8"], in: sandbox.path)
            #expect(result.status == 0, "\(result.stderr) \(context)")
            #expect(result.stdout == Data(text.utf8), "printed \(FuzzText.literal(result.stdoutText)); \(context)")
            #expect(sandbox.listing().isEmpty, "the command created \(sandbox.listing()); \(context)")
        }
    }

    // MARK: Grapheme clusters

    /// Markdown that a name can smuggle past `MarkdownText` by gluing an ASCII special
    /// character into a grapheme cluster: a combining mark after it (U+0301) or a
    /// prepend mark before it (U+0600, ARABIC NUMBER SIGN).
    static let clusterExamples: [(String, String)] = [
        ("link", "[\u{301}click\u{600}](https://example.invalid/x)"),
        ("emphasis", "*\u{301}loud\u{600}*"),
        ("block quote", ">\u{301} quoted"),
        ("code span", "`\u{301}code`"),
        ("raw HTML", "\u{600}<img src=x onerror=alert(1)\u{600}>"),
        ("leading space", " \u{364}indented"),
    ]

    @Test("a combining or prepend mark next to a Markdown special character does not switch its escaping off",
          arguments: FuzzTests.clusterExamples)
    func graphemeClusters(_ name: String, _ text: String) {
        let document = CMark.parse(MarkdownText.inline(text))
        let inlines = document.children.first?.children ?? []
        #expect(document.children.map(\.kind) == [.paragraph] && inlines.allSatisfy { $0.kind == .text },
                "\(name): \(FuzzText.literal(MarkdownText.inline(text))) parses as \(document.children.map(\.kind)) \(inlines.map(\.kind))")
        #expect(Self.same(document.children.first?.plainText, Self.expectedInlineText(text)), "\(name)")
        #expect(!CMark.html(MarkdownText.inline(text), unsafe: true).contains("<img"), "\(name): raw HTML got through")
    }

    @Test("a backtick glued to a combining or prepend mark still lengthens the code span's fence")
    func graphemeClustersInCodeSpans() {
        for text in ["a``\u{301}b", "\u{600}`<img src=x onerror=alert(1)>", "x\u{600}``y"] {
            let document = CMark.parse(MarkdownText.codeSpan(text))
            let inlines = document.children.first?.children ?? []
            #expect(inlines.map(\.kind) == [.code] && Self.same(inlines.first?.literal, MarkdownText.clean(text)),
                    "\(FuzzText.literal(MarkdownText.codeSpan(text))) parses as \(inlines.map(\.kind))")
        }
    }
}
