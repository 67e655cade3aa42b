@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import Foundation
import Mustache
import Testing

@testable import CoordMigrate

/// The built-in templates are rendered by ``LeanTemplate``; swift-mustache, which
/// renders users' templates, is the oracle: both must give the same bytes.
@Suite("The lean renderer against swift-mustache")
struct LeanTemplateTests {
    static let samples = [
        "agent-bridge", "my-scripts", "enterprise-workflow", "enterprise-workflow-sqlite", "code-only-checkout",
        "monorepo-bridge", "maildir-agents", "queue-lanes", "inverted-inboxes", "json-registry",
    ]

    /// Both renderings of a built-in template for one report.
    static func renderings(_ format: String, _ report: MigrationReport) throws -> (lean: String, mustache: String) {
        let text = format == "md" ? MarkdownEmitter.defaultTemplate : HTMLEmitter.defaultTemplate
        let context = format == "md" ? ReportView.context(for: report) : HTMLEmitter.context(for: report)
        let lean = try LeanTemplate(text, contentTypes: MustacheSetup.leanContentTypes)
        let mustache = try MustacheSetup.compile(text, format: format)
        return (lean.render(context), try mustache.render(context))
    }

    @Test("every sample: the built-in templates render byte for byte as swift-mustache renders them",
          arguments: samples)
    func samplesMatch(_ sample: String) throws {
        let report = try sampleReport(sample)
        for format in ["md", "html"] {
            let (lean, mustache) = try Self.renderings(format, report)
            #expect(lean.count > 1000, "\(format) for \(sample) rendered")
            #expect(lean == mustache, "\(format) for \(sample)")
        }
    }

    /// A report that reaches every branch of both templates — policy, custom and
    /// skipped findings, warnings, discovery, a database, empty lists — with text
    /// that looks like markup, Mustache tags and control characters.
    static func everyBranchReport() throws -> MigrationReport {
        var report = try sampleReport("enterprise-workflow-sqlite")
        let hostile = "a <b>*b*</b> {{c}} `d` & 'e' \"f\" \u{7}g |h| [i](j) \u{301}<k>"
        report.policy = .init(source: "policy {{x}}.yaml", changes: ["hours.base: 6 → 8 <i>", hostile])
        var custom = PatternFinding(id: "house-rule", title: "House \(hostile)", present: false, summary: hostile,
                                    evidenceKinds: [.config], remediation: "Fix *it*")
        custom.documentation = "https://example.invalid/{{doc}}"
        var skipped = custom
        skipped.id = "skipped-rule"
        skipped.skippedReason = "skipped by {{config}}"
        var present = custom
        present.id = "present-rule"
        present.present = true
        present.documentation = nil
        report.detection.customPatterns = [custom, skipped, present]
        report.detection.patterns[0].skippedReason = "not used here <b>"
        report.detection.evidence.append(Evidence(subject: "house-rule", kind: .config, path: "cfg/{{a}}.yaml", line: 3,
                                                  detail: hostile))
        report.detection.warnings = [ScanWarning(path: "x/<y>", line: 9, message: hostile), ScanWarning(path: "z", message: "w")]
        report.detection.discovery = Discovery(requestedPath: "/r/{{x}}", chosen: "sub `dir`", reason: hostile,
                                               candidates: [DiscoveryCandidate(path: "sub", markers: ["inbox/", hostile], strength: 3)])
        report.complexity.breakingChanges = []
        report.plan.steps[0].title += hostile
        report.plan.steps[0].description += "\n\n" + hostile
        report.plan.steps[0].commands.append("echo '\(hostile)'")
        return report
    }

    @Test("every branch, with hostile text: the same bytes from both renderers")
    func everyBranchMatches() throws {
        let report = try Self.everyBranchReport()
        for format in ["md", "html"] {
            let (lean, mustache) = try Self.renderings(format, report)
            #expect(lean.contains("House "), "\(format): the custom finding is rendered")
            #expect(lean.contains("skipped by"), "\(format): the skipped custom finding is rendered")
            #expect(lean == mustache, "\(format)")
        }
    }

    /// Renders `body` (after a Markdown pragma) with both engines and one context.
    static func bothEngines(_ body: String) throws -> (lean: String, mustache: String) {
        let text = "{{% CONTENT_TYPE: MARKDOWN}}\n" + body
        let context: [String: Any] = [
            "list": ["one", "*two*"], "empty": [String](), "flag": true, "off": false, "number": 42, "double": 2.5,
            "raw": "<b>*raw*</b>", "outer": "outer value", "name": "root name",
            "object": ["name": "inner name", "items": [["name": "first"], ["other": "second"]]] as [String: Any],
            "rows": [["name": "r1", "flag": false], ["name": "r2"]] as [[String: Any]],
        ]
        let lean = try LeanTemplate(text, contentTypes: MustacheSetup.leanContentTypes)
        MustacheSetup.registerContentTypes()
        return (lean.render(context), try MustacheTemplate(string: text).render(context))
    }

    @Test("standalone lines, sections, lookups and escaping agree with swift-mustache", arguments: [
        "a\n{{#list}}\n- {{.}}\n{{/list}}\nb\n",
        "  {{#flag}}  \nx\n  {{/flag}}\t\ny\n",
        "{{#flag}}x{{/flag}}\n{{#off}}hidden{{/off}}\n",
        "{{^missing}}none{{/missing}} {{^empty}}empty{{/empty}} {{^flag}}no{{/flag}} {{^off}}off{{/off}} {{^list}}l{{/list}}\n",
        "{{#object}}{{name}} / {{outer}}\n{{#items}}- {{name}} ({{other}})\n{{/items}}{{/object}}\n",
        "{{#rows}}\n{{name}}{{#flag}} flagged{{/flag}}{{^flag}} plain{{/flag}}\n{{/rows}}\n",
        "{{! a comment line }}\n{{! inline }} text {{! again }}\n",
        "{{{raw}}} {{&raw}} {{raw}} {{ raw }}\n",
        "{{#list}}{{.}}{{/list}}",
        "{{#flag}}\nx\n{{/flag}}   ",
        "{{#flag}}\r\nx\r\n{{/flag}}\r\nafter\r\n",
        "{{number}} {{double}} {{flag}} {{missing}}|\n",
        "{{#name}}{{.}} inside{{/name}}\n",
        "{{#number}}[{{.}}]{{/number}}\n",
        "\n\n  \n{{#list}}\n\n{{/list}}\n",
        "  indented {{name}}\n    {{#flag}}\n  {{name}}\n    {{/flag}}\n",
        "{{#flag}}{{#list}}{{.}},{{/list}}{{/flag}}\n",
        // Only LF and CR LF end text; any line break ends a standalone tag's line.
        "x\r{{! c }}\ny\n",
        "x\u{0B}{{! c }}\ny\n",
        "x\u{0C}  {{#flag}}  \nin\n{{/flag}}\n",
        "x\u{2028}  {{#flag}}  \nin\n{{/flag}}\n",
        "{{#flag}}  \u{0C}in\n{{/flag}}\u{85}after\n",
        // Inside an inverted section over an empty list, the list is the current item.
        "{{^empty}}{{^.}}none{{/.}}{{#.}}some{{/.}}{{/empty}}\n",
        "{{#list}}{{^empty}}{{.}}{{/empty}}{{/list}}\n",
        "a { b {x} }} c\n",
    ])
    func differential(_ body: String) throws {
        let (lean, mustache) = try Self.bothEngines(body)
        #expect(lean == mustache)
    }

    @Test("what the subset leaves out does not compile, with its line", arguments: [
        ("{{> partial}}\n", 2, "partials"),
        ("x\n{{a.b}}\n", 3, "not a plain key"),
        ("{{uppercased(a)}}\n", 2, "not a plain key"),
        ("{{=<% %>=}}\n", 2, "set delimiters"),
        ("{{#a}}\nx\n", 2, "never closed"),
        ("{{#a}}\n{{/b}}\n", 3, "closes no open section"),
        ("{{/a}}\n", 2, "closes no open section"),
        ("x\n\n{{a b}}\n", 4, "not a plain key"),
        ("x {{% CONTENT_TYPE: MARKDOWN}}\n", 2, "before any output"),
        ("{{% CONTENT_TYPE: SHOUTING}}\n", 2, "unknown pragma"),
        ("{{#flag}}{{% CONTENT_TYPE: HTML_TEXT}}{{/flag}}\n", 2, "before any output"),
        ("x\na{{\nx}}b\n", 3, "opens at the end of a line"),
        ("end{{", 2, "opens at the end"),
        ("end{", 2, "lone {"),
        ("x\n\u{600}{{x}}\n", 3, "joined to a combining"),
        ("{{x}}\u{301}\n", 2, "joined to a combining"),
    ] as [(String, Int, String)])
    func unsupported(_ body: String, _ line: Int, _ message: String) {
        do {
            _ = try LeanTemplate("{{% CONTENT_TYPE: MARKDOWN}}\n" + body, contentTypes: MustacheSetup.leanContentTypes)
            Issue.record("compiled: \(body)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("a template without a content type does not compile")
    func contentTypeRequired() {
        #expect(throws: LeanTemplate.Unsupported.self) { try LeanTemplate("plain {{x}}\n", contentTypes: [:]) }
    }

    @Test("the emitters use it for the built-in templates and swift-mustache for a user's")
    func emittersChoose() throws {
        let report = try sampleReport("agent-bridge")
        // The same template text through both paths gives the same bytes …
        #expect(try MarkdownEmitter().emit(report) == MarkdownEmitter(template: MarkdownEmitter.defaultTemplate).emit(report))
        #expect(try HTMLEmitter().emit(report) == HTMLEmitter(template: HTMLEmitter.defaultTemplate).emit(report))
        // … and a user's template may use what the subset leaves out (a transform here).
        let transform = "{{% CONTENT_TYPE: MARKDOWN}}\nTool: {{uppercased(toolName)}}\n"
        #expect(throws: LeanTemplate.Unsupported.self) { try LeanTemplate(transform, contentTypes: MustacheSetup.leanContentTypes) }
        let rendered = String(decoding: try MarkdownEmitter(template: transform).emit(report), as: UTF8.self)
        #expect(rendered == "Tool: \(report.tool.name.uppercased())\n")
    }
}
