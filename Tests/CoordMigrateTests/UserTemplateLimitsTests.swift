@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import Foundation
import Mustache
import Testing

/// Users' templates are untrusted: too deep or too many tags is refused before
/// swift-mustache parses them.
@Suite("Users' templates: parse limits")
struct UserTemplateLimitsTests {
    static func nested(_ depth: Int, _ open: String = "{{#a}}", _ close: String = "{{/a}}", inner: String = "x") -> String {
        String(repeating: open, count: depth) + inner + String(repeating: close, count: depth) + "\n"
    }

    @Test("64 nested sections parse; 65, or 3000 (which overflowed swift-mustache's parser), are refused naming the limit")
    func depth() throws {
        _ = try MustacheSetup.compile(Self.nested(64), format: "Markdown")
        for depth in [65, 3000] {
            let error = #expect(throws: EmitError.self) { _ = try MarkdownEmitter(template: Self.nested(depth)) }
            #expect(error?.message.contains("more than 64 levels deep") == true, "\(String(describing: error))")
        }
        for (open, close) in [("{{^a}}", "{{/a}}"), ("{{$a}}", "{{/a}}"), ("{{#a.b}}", "{{/a.b}}"), ("{{#reversed(a)}}", "{{/reversed(a)}}")] {
            #expect(throws: EmitError.self, "\(open)") { _ = try HTMLEmitter(template: Self.nested(65, open, close)) }
        }
    }

    @Test("set-delimiter tags are followed, and like swift-mustache they last until their section ends")
    func setDelimiters() throws {
        let custom = "{{=<% %>=}}" + Self.nested(65, "<%#a%>", "<%/a%>")
        #expect(throws: EmitError.self) { _ = try MarkdownEmitter(template: custom) }
        // {{#a}} inside <% %> delimiters is text, not a section.
        _ = try MustacheSetup.compile("{{=<% %>=}}" + Self.nested(65), format: "Markdown")
        // Delimiters set inside a section end with it: the 65 sections after it count again.
        let scoped = "{{#s}}{{=<% %>=}}<%/s%>" + Self.nested(65)
        #expect(throws: EmitError.self) { _ = try MarkdownEmitter(template: scoped) }
        MustacheSetup.registerContentTypes()
        let probe = try MustacheTemplate(string: "{{#s}}{{=<% %>=}}<%x%><%/s%>{{x}}")
        #expect(probe.render(["s": true, "x": "y"]) == "yy", "swift-mustache restores the delimiters after the section")
    }

    @Test("20,000 tags parse; 20,001 are refused naming the limit, across every part of the template")
    func tagCount() throws {
        _ = try MustacheSetup.compile(String(repeating: "{{x}}", count: 20_000), format: "Markdown")
        let error = #expect(throws: EmitError.self) {
            _ = try MarkdownEmitter(template: String(repeating: "{{x}}", count: 20_001))
        }
        #expect(error?.message.contains("more than 20,000 tags") == true, "\(String(describing: error))")
        let parted = String(repeating: "{{x}}", count: 10_001) + "\n{{! part }}\n" + String(repeating: "{{x}}", count: 10_000)
        #expect(throws: EmitError.self) { _ = try MarkdownEmitter(template: parted) }
    }

    @Test("the built-in templates are well inside the limits", arguments: ["md", "html"])
    func builtInsFit(_ format: String) throws {
        let text = format == "md" ? MarkdownEmitter.defaultTemplate : HTMLEmitter.defaultTemplate
        let outline = try TemplateOutline(parts: [text])
        #expect(outline.tags > 100 && outline.tags < TemplateOutline.maxTags / 10)
        #expect(outline.deepest > 1 && outline.deepest <= 8)
    }
}
