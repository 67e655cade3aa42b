@testable import CoordMigrateEmit
import Foundation
import Testing

/// A user's template that does not parse is refused with one line naming the line,
/// the column and the mistake in the template's own terms.
@Suite("Template syntax errors")
struct TemplateSyntaxTests {
    /// The error MarkdownEmitter gives for `text`, or nil when it parses.
    func syntaxError(_ text: String, html: Bool = false) -> TemplateSyntaxError? {
        do {
            _ = html ? try HTMLEmitter(template: text) as Any : try MarkdownEmitter(template: text) as Any
            return nil
        } catch let error as TemplateSyntaxError {
            return error
        } catch {
            Issue.record("not a TemplateSyntaxError: \(error)")
            return nil
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var template: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "unclosed section, named where it opens",
              template: "# Plan\n\n{{#steps}}\n  {{title}}\n", line: 3, column: 1,
              message: "unclosed section \"steps\": no {{/steps}} closes it"),
        .init(name: "unclosed inverted section inside a closed one",
              template: "{{#steps}}\nx {{^hasCommands}}none\n{{/steps}}\n", line: 3, column: 1,
              message: "closing tag {{/steps}} does not match the open section \"hasCommands\" (opened at line 2, column 3)"),
        .init(name: "stray closing tag",
              template: "one\ntwo {{/steps}}\n", line: 2, column: 5,
              message: "stray closing tag {{/steps}}: no section is open"),
        .init(name: "malformed tag: a space inside a name",
              template: "ok {{title}}\n    {{step title}}\n", line: 2, column: 5,
              message: "malformed tag \"{{step title}}\": a name holds only letters, digits and . - _ ? * ( )"),
        .init(name: "malformed tag: never closed",
              template: "a\nb {{title\n", line: 2, column: 3,
              message: "unclosed tag: no \"}}\" closes \"{{title \""),
        .init(name: "triple mustache without its third brace",
              template: "{{{targetPath}}\n", line: 1, column: 1,
              message: "malformed tag \"{{{targetPath}}\": \"{{{\" needs a third closing brace, as in {{{targetPath}}}"),
        .init(name: "unclosed comment",
              template: "x\n\n  {{! a note\n", line: 3, column: 3,
              message: "unclosed comment: no \"}}\" after \"{{!\""),
        .init(name: "malformed set-delimiter tag",
              template: "{{=<% %>}}\n", line: 1, column: 1,
              message: "malformed set-delimiter tag; write it like {{=<% %>=}}"),
        .init(name: "a closing tag in new delimiters",
              template: "{{=<% %>=}}\n<%#steps%>\n<%/stepz%>\n", line: 3, column: 1,
              message: "closing tag <%/stepz%> does not match the open section \"steps\" (opened at line 2, column 1)"),
        .init(name: "a section open across a part cut",
              template: "{{#steps}}\n{{! part }}\n{{/steps}}\n", line: 1, column: 1,
              message: "section \"steps\" is still open at the {{! part }} cut on line 2; close it before the cut"),
    ]

    @Test("each mistake is named with its line and column", arguments: cases)
    func located(_ row: Case) throws {
        let error = try #require(syntaxError(row.template))
        #expect(error == TemplateSyntaxError(line: row.line, column: row.column, message: row.message))
        #expect(!error.description.contains("\n"))
        #expect(error.description == "template:\(row.line):\(row.column): \(row.message)")
    }

    @Test("HTML templates are read the same way")
    func html() throws {
        let error = try #require(syntaxError("<p>\n{{#steps}}<b>{{title}}</b>\n", html: true))
        #expect(error == TemplateSyntaxError(line: 2, column: 1, message: "unclosed section \"steps\": no {{/steps}} closes it"))
    }

    @Test("what only swift-mustache catches is placed in the file, past the pragma lines and the part cuts")
    func mappedThroughParts() throws {
        // An unknown content type in the pragma: swift-mustache's own error, on line 1.
        let pragma = try #require(syntaxError("{{% CONTENT_TYPE: NOPE}}\ntext\n"))
        #expect(pragma.line == 1)
        #expect(pragma.message.contains("unknown pragma or content type"))
        // A pragma in the third part's body, after two cuts: line 6 of the file.
        let text = "{{% CONTENT_TYPE: MARKDOWN}}\na\n{{! part }}\nb\n{{! part }}\n{{% CONTENT_TYPE: NOPE}}\n"
        let later = try #require(syntaxError(text))
        #expect(later.line == 6, "\(later)")
        #expect(later.message.contains("unknown pragma or content type"))
    }

    @Test("the built-in templates and well-formed users' templates show no mistake")
    func wellFormed() throws {
        #expect(TemplateSyntax.firstError(in: MarkdownEmitter.defaultTemplate) == nil)
        #expect(TemplateSyntax.firstError(in: HTMLEmitter.defaultTemplate) == nil)
        #expect(TemplateSyntax.firstError(in: "{{#reversed(steps)}}{{{title}}} {{& risk}}{{/reversed(steps)}}{{=<% %>=}}<%x%>") == nil)
        #expect(syntaxError("{{#steps}}\n{{title}}\n{{/steps}}\n") == nil)
    }

    @Test("a long broken template is read through once: 19,990 comment lines in an open section are scanned in under a second")
    func longBrokenTemplate() throws {
        let text = "{{#steps}}\n" + String(repeating: "{{! a note }}\n", count: 19_990)
        #expect(syntaxError(text) == TemplateSyntaxError(line: 1, column: 1, message: "unclosed section \"steps\": no {{/steps}} closes it"))
        // The scan alone (the emitter's time is mostly swift-mustache's own parse).
        let started = Date()
        #expect(TemplateSyntax.firstError(in: text)?.line == 1)
        #expect(Date().timeIntervalSince(started) < 1)
    }
}
