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
/// swift-mustache parses them, and a render is stopped at its time and size budget.
@Suite("Users' templates: parse limits and render budget")
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

    // MARK: Render budget

    static func template(_ text: String, maxBytes: Int = 64 << 20, maxSeconds: Double = 10) throws -> PartedTemplate {
        var template = try MustacheSetup.compile("{{% CONTENT_TYPE: MARKDOWN}}\n" + text, format: "Markdown")
        template.limits = RenderLimits(maxBytes: maxBytes, maxSeconds: maxSeconds)
        return template
    }

    nonisolated(unsafe) static let context: [String: Any] = ["steps": (1...12).map { ["number": $0, "title": "step \($0)"] as [String: Any] }]

    @Test("ten nested list sections (12¹⁰ passes) stop at the time budget and say so")
    func timeBudget() throws {
        let template = try Self.template(Self.nested(10, "{{#steps}}", "{{/steps}}", inner: "{{number}}"), maxSeconds: 0.5)
        let started = Date()
        let error = #expect(throws: PartedTemplate.BudgetError.self) { _ = try template.render(Self.context) }
        #expect(error?.exhausted == .time)
        #expect(error?.description.contains("0.5 s") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("output past the size budget stops the render, also when the text is inside the sections")
    func sizeBudget() throws {
        let bulky = try Self.template(Self.nested(4, "{{#steps}}", "{{/steps}}", inner: String(repeating: "x", count: 1000)),
                                      maxBytes: 1 << 20)
        let error = #expect(throws: PartedTemplate.BudgetError.self) { _ = try bulky.render(Self.context) }
        #expect(error?.exhausted == .size)
        #expect(error?.description.contains("1 MiB") == true, "\(String(describing: error))")
        // 12 × 1000 bytes is well under the budget.
        let small = try Self.template(Self.nested(1, "{{#steps}}", "{{/steps}}", inner: String(repeating: "x", count: 1000)),
                                      maxBytes: 1 << 20)
        #expect(try small.render(Self.context).count == 12_000 + 1)
    }

    @Test("the budgeted view renders what swift-mustache renders from the plain one: transforms, dotted names, sequences",
          arguments: [
              "{{#reversed(steps)}}{{number}} {{/reversed(steps)}}",
              "{{count(steps)}} {{#first(steps)}}{{title}}{{/first(steps)}} {{#last(steps)}}{{title}}{{/last(steps)}}",
              "{{#steps}}{{#first()}}[{{/first()}}{{number}}{{^last()}}, {{/last()}}{{#last()}}]{{/last()}}{{/steps}}",
              "{{#sorted(names)}}{{.}} {{/sorted(names)}}{{#reversed(names)}}{{uppercased(.)}} {{/reversed(names)}}",
              "{{#empty(none)}}no items{{/empty(none)}}{{^none}}none{{/none}}{{#none}}never{{/none}}",
              "{{plan.title}} {{#plan}}{{title}} {{steps.0}}{{/plan}} {{plan.missing}}{{^plan.missing}}absent{{/plan.missing}}",
              "{{count(plan)}} {{#sorted(plan)}}{{key}}={{#value}}{{.}}{{/value}};{{/sorted(plan)}}",
              "{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}} {{#off}}on{{/off}}{{^off}}off{{/off}} {{number}} {{ratio}}",
              "{{#steps}}{{#names}}{{title}}:{{.}} {{/names}}{{/steps}}",
              "{{#names}}{{{.}}}|{{/names}} {{names}}",
          ])
    func sameAsUnbudgeted(_ body: String) throws {
        let context: [String: Any] = [
            "steps": [["number": 1, "title": "one"], ["number": 2, "title": "two *b*"], ["number": 3, "title": "three"]]
                as [[String: Any]],
            "names": ["delta", "alpha", "<c>"], "none": [String](), "flag": true, "off": false, "number": 42, "ratio": 0.5,
            "plan": ["title": "The plan", "steps": "few"] as [String: Any],
        ]
        let text = "{{% CONTENT_TYPE: MARKDOWN}}\n" + body + "\n"
        MustacheSetup.registerContentTypes()
        let plain = try MustacheTemplate(string: text).render(context)
        let budgeted = try Self.template(body + "\n").render(context)
        #expect(budgeted == plain)
        #expect(!plain.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
