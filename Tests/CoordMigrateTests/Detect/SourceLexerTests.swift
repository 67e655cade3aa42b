@testable import CoordMigrateDetect
import Foundation
import Testing

/// The code-facts layer's two primitives: the lexers that tell code from comments and
/// strings, and the one-pass keyword matcher.
@Suite("Lexing programs and matching keywords")
struct SourceLexerTests {
    /// The lexed text with comment blanks collapsed, and the string bytes, for reading in assertions.
    func lex(_ source: String, _ language: SourceLanguage) -> (code: String, strings: String) {
        let lexed = LexedSource(Array(source.utf8), language: language)
        var code: [UInt8] = []
        var strings: [UInt8] = []
        for (index, byte) in lexed.text.enumerated() {
            let string = lexed.inString[index] == 1
            // Each literal's bytes apart from the next literal's.
            if string, index > 0, lexed.inString[index - 1] == 0 { strings.append(0x20) }
            if string { strings.append(byte) } else { code.append(byte) }
        }
        let squeeze = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        }
        return (squeeze(code), squeeze(strings))
    }

    @Test("comments are blanked and strings kept, in each language", arguments: [
        (SourceLanguage.python, "x = 'a # b'  # retry later\n\"\"\"Docstring about inbox.\"\"\"\nsql = \"\"\"CREATE TABLE m (id)\"\"\"\n",
         "x = '' sql = \"\"\"\"\"\"", "a # b create table m (id)"),
        (.shell, "echo \"# not a comment\" # a comment\nn=${#arr} # count\ncat <<'EOF'\nit's # data\nEOF\nmv a b\n",
         "echo \"\" n=${#arr} cat <<'eof' eof mv a b", "# not a comment it's # data"),
        (.javascript, "const re = /'[^']*'/g; // retry\n/* block\ninbox */ const s = `inbox/${to}`;\nconst u = 'http://x'\n",
         "const re = //g; const s = ``; const u = ''", "'[^']*' inbox/${to} http://x"),
        (.go, "// Package x retries.\nconst q = `create table t (a)` /* c */\nr := '\"'\n",
         "const q = `` r := ''", "create table t (a) \""),
        (.sql, "-- messages\nCREATE TABLE t (a TEXT DEFAULT 'x -- y'); /* z */\n", "create table t (a text default '');", "x -- y"),
        // A triple-quoted string passed to a call is a value (SQL), not a docstring.
        (.python, "db.executescript(\"\"\"\nCREATE TABLE inbox (id)\n\"\"\")\n", "db.executescript(\"\"\"\"\"\")", "create table inbox (id)"),
        (.rust, "// retry later\nlet q = \"insert into m\"; /* inbox */\nlet r = r#\"select \"x\" from t\"#;\n",
         "let q = \"\"; let r = r#\"\"#;", "insert into m select \"x\" from t"),
    ])
    func commentsAndStrings(_ language: SourceLanguage, _ source: String, _ code: String, _ strings: String) {
        let lexed = lex(source, language)
        #expect(lexed.code == code, "\(language)")
        #expect(lexed.strings == strings, "\(language)")
    }

    @Test("offsets and lines are those of the file: comments keep their newlines")
    func linesKept() {
        let source = "/* one\ntwo\nthree */ inbox\n// four\nmailbox\n"
        let lexed = LexedSource(Array(source.utf8), language: .javascript)
        #expect(lexed.text.count == source.utf8.count)
        let text = String(decoding: lexed.text, as: UTF8.self)
        let inbox = text.utf8.count - text.drop { $0 != "i" }.utf8.count
        #expect(lexed.line(at: inbox) == 3)
        #expect(String(decoding: lexed.lineText(5), as: UTF8.self) == "mailbox")
        #expect(String(decoding: lexed.lineText(4), as: UTF8.self).allSatisfy { $0 == " " })
    }

    @Test("an unterminated one-line string ends at its line and does not swallow the file")
    func unterminated() {
        let lexed = lex("s = 'open\nretry()\n", .python)
        #expect(lexed.code.contains("retry()"))
        let go = lex("x := \"open\nsleep()\n", .go)
        #expect(go.code.contains("sleep()"))
    }

    @Test("a here-document ends at its delimiter as written, quoted or not, and the code after it is code")
    func hereDocumentDelimiters() {
        let bare = lex("cat > \"$f\" <<EOF\nretry later\nEOF\nsleep 1 # wait\n", .shell)
        #expect(bare.code == "cat > \"\" <<eof eof sleep 1")
        #expect(bare.strings == "$f retry later")
        let stripped = lex("cat <<-Done\n\tbody\n\tDone\nmv a b\n", .shell)
        #expect(stripped.code == "cat <<-done \tdone mv a b")
        // Only the delimiter as written closes it: `eof` is a line of the body.
        let cased = lex("cat <<EOF\neof\nEOF\nrm x\n", .shell)
        #expect(cased.code == "cat <<eof eof rm x")
        #expect(cased.strings == "eof")
    }

    @Test("the language of an extensionless program comes from its shebang", arguments: [
        ("#!/usr/bin/env python3", SourceLanguage.python), ("#!/bin/bash", .shell), ("#!/usr/bin/env -S node --no-warnings", .javascript),
        ("#!/usr/bin/env bun", .javascript), ("#!/usr/bin/perl", nil), ("# not a shebang", nil),
    ])
    func shebang(_ line: String, _ language: SourceLanguage?) {
        #expect(SourceLanguage.of(shebang: Array(line.utf8)) == language)
    }

    /// Every (keyword, first byte) pair, found by comparing at every offset.
    func naive(_ keywords: [String], _ text: [UInt8]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (number, keyword) in keywords.enumerated() {
            let bytes = Array(keyword.utf8)
            guard bytes.count <= text.count else { continue }
            for offset in 0...(text.count - bytes.count) where text[offset..<(offset + bytes.count)].elementsEqual(bytes) {
                found.insert([number, offset])
            }
        }
        return found
    }

    @Test("the matcher finds exactly what a naive search finds, in order of their end, across the halves it reads")
    func matcherAgreesWithNaiveSearch() {
        var generator = SystemRandomNumberGenerator()
        let keywords = ["ab", "abc", "bca", "c", "aaaa", "cab", "b c", "abcabc"]
        let matcher = KeywordMatcher(keywords)
        for length in [0, 1, 2, 3, 7, 8, 9, 64, 65, 1001] {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in Array("abc ".utf8)[Int.random(in: 0..<4, using: &generator)] }
                let hits = matcher.hits(in: text)
                #expect(Set(hits.map { [$0.keyword, $0.offset] }) == naive(keywords, text))
                #expect(hits.count == Set(hits.map { [$0.keyword, $0.offset] }).count, "no hit twice")
                let ends = hits.map { $0.offset + keywords[$0.keyword].utf8.count }
                #expect(ends == ends.sorted())
                #expect(matcher.containsAny(in: text) == !hits.isEmpty)
            }
        }
    }

    @Test("the matcher ignores ASCII case in raw text")
    func caseInsensitive() {
        let matcher = KeywordMatcher(["create table", "uuid"])
        #expect(matcher.containsAny(in: Array("db.exec(`CREATE TABLE x`)".utf8)))
        #expect(matcher.containsAny(in: Array("import { randomUUID }".utf8)))
        #expect(!matcher.containsAny(in: Array("create_table".utf8)))
    }

    @Test("random bytes of quotes, escapes, comment and here-document openers lex in every language without losing a byte", arguments: SourceLanguage.allCases)
    func randomInput(_ language: SourceLanguage) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("'\"`\\/#*-<\n\r\tabcEOF rfbu{}$[]:=()".utf8) + [0x00, 0xFF, 0xC3]
        for _ in 0..<300 {
            let length = Int.random(in: 0..<400, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            let lexed = LexedSource(bytes, language: language)
            #expect(lexed.text.count == bytes.count && lexed.inString.count == bytes.count)
            #expect(lexed.lineStarts.count == bytes.filter { $0 == 0x0A }.count + 1, "newlines are kept")
            #expect(lexed.text.enumerated().allSatisfy { index, byte in byte == 0x0A ? bytes[index] == 0x0A : true })
            _ = CodeFactExtractor.facts(of: lexed, path: "x")
        }
    }
}
