@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

func markdown(_ report: MigrationReport) throws -> String {
    String(decoding: try MarkdownEmitter().emit(report), as: UTF8.self)
}

/// The top-level blocks that follow the heading whose text is `title`, up to the next heading.
func section(_ document: MarkdownNode, _ title: String) -> [MarkdownNode] {
    let blocks = document.children
    guard let start = blocks.firstIndex(where: { $0.kind == .heading && $0.plainText == title }) else { return [] }
    return Array(blocks[(start + 1)...].prefix { $0.kind != .heading })
}

/// A tree whose names and config values are full of Markdown, HTML and shell syntax.
func hostileTree() throws -> TempTree {
    let tree = try TempTree("hostile")
    let root = "root *a* _b_ [x](y) `t` <i>"
    let uuid = "550e8400-e29b-41d4-a716-446655440000"
    try tree.file("\(root)/inbox/<script>alert(1)</script>-\(uuid).msg", "x")  // a folder `<script>alert(1)<` and a file
    try tree.file("\(root)/inbox/*star* _u_ [x](y) `tick`/- dash \(uuid).msg", "x")
    try tree.file("\(root)/inbox/1. one/<a href='x'>\(uuid).msg", "x")
    try tree.file("\(root)/specs/*star* _u_ [x](y) `tick` <img src=x>.tla", "x")
    try tree.file("\(root)/scripts/[x](y) *s* <b>.sh", "retry\n")
    let agents = [
        "*star*", "_under_", "[x](y)", "<script>alert(1)</script>", "`tick`", "- dash", "1. one",
        "<a href='http://evil'>link</a>", "&amp;", "![img](http://x/y.png)", "<http://auto.link>",
    ]
    let json = try JSONSerialization.data(withJSONObject: [
        "agents": Dictionary(uniqueKeysWithValues: agents.map { ($0, ["authority_domains": ["x"]]) }),
    ])
    try tree.bytes("\(root)/agents.json", Array(json))
    return tree
}

@Suite("The Markdown plan, read back with cmark")
struct MarkdownTests {
    static let samples = ["agent-bridge", "my-scripts", "enterprise-workflow"]

    func reports() throws -> [(String, MigrationReport)] {
        let hostile = try hostileTree()
        let database = try TempTree("db")
        try database.file("config.yaml", "database:\n  type: \"<script>alert(1)</script> *x* [a](b) `c`\"\nagents: {a: {}}\n")
        return try Self.samples.map { ($0, try sampleReport($0)) } + [
            ("hostile", try analyze(hostile.absolute("root *a* _b_ [x](y) `t` <i>"))),
            ("database", try analyze(database.path)),
        ]
    }

    @Test("one level-1 heading, and heading levels never jump by more than one")
    func headingLevels() throws {
        for (name, report) in try reports() {
            let document = CMark.parse(try markdown(report))
            let levels = document.all.filter { $0.kind == .heading }.map(\.level)
            #expect(levels.filter { $0 == 1 }.count == 1, "\(name)")
            #expect(levels.first == 1, "\(name)")
            for (previous, next) in zip(levels, levels.dropFirst()) {
                #expect(next <= previous + 1, "\(name): heading level \(previous) → \(next)")
            }
        }
    }

    @Test("each Step heading is followed by a list holding Phase, Duration and Risk as separate items")
    func stepHeadings() throws {
        for (name, report) in try reports() {
            let document = CMark.parse(try markdown(report))
            let blocks = document.children
            let stepIndices = blocks.indices.filter { blocks[$0].kind == .heading && blocks[$0].plainText.hasPrefix("Step ") }
            #expect(stepIndices.count == report.plan.steps.count, "\(name)")
            for (index, step) in zip(stepIndices, report.plan.steps) {
                #expect(blocks[index].plainText == "Step \(step.number): \(step.title)")
                #expect(blocks[index].level == 3)
                let list = blocks[index + 1]
                #expect(list.kind == .list, "\(name) step \(step.number)")
                let items = list.children.map(\.plainText)
                #expect(items.count >= 3)
                #expect(items.first == "Phase: \(step.phase.rawValue)")
                #expect(items.dropFirst().first == "Duration: \(step.duration)")
                #expect(items.dropFirst(2).first == "Risk: \(step.risk.rawValue.uppercased())")
                if let documentation = step.documentation {
                    #expect(items.contains("Reference: \(documentation)"))
                }
                // The step's commands: the first code block before the next heading.
                let rest = blocks[(index + 1)...].prefix { $0.kind != .heading }
                let code = rest.first { $0.kind == .codeBlock }
                #expect(code?.fenceInfo == "bash")
                #expect(code?.literal == step.commands.joined(separator: "\n") + "\n", "\(name) step \(step.number)")
                // The description is a CommonMark passage: it renders to the paragraph that follows.
                let description = CMark.parse(step.description).plainText
                #expect(rest.contains { $0.kind == .paragraph && $0.plainText == description }, "\(name) step \(step.number)")
            }
        }
    }

    @Test("checklists are list items starting with [ ]")
    func checklists() throws {
        for (name, report) in try reports() {
            let document = CMark.parse(try markdown(report))
            for (title, expected) in [
                ("Success Criteria", report.plan.successCriteria),
                ("Acceptance criteria", report.plan.testingStrategy.acceptanceCriteria),
            ] {
                let list = section(document, title).first { $0.kind == .list }
                let items = list?.children.map(\.plainText) ?? []
                // A plan without steps (no system) has no checklists to work through.
                #expect(items == (report.plan.steps.isEmpty ? [] : expected.map { "[ ] " + $0 }), "\(name): \(title)")
            }
        }
    }

    @Test("commands are fenced code blocks marked bash")
    func codeBlocks() throws {
        for (name, report) in try reports() {
            let document = CMark.parse(try markdown(report))
            let blocks = document.all.filter { $0.kind == .codeBlock }
            #expect(!blocks.isEmpty || report.plan.steps.isEmpty, "\(name)")
            // Commands are bash; the system map's diagram is the one mermaid block, when there is a map.
            #expect(blocks.allSatisfy { $0.fenceInfo == "bash" || $0.fenceInfo == "mermaid" }, "\(name): an unfenced or unmarked code block")
            let mermaid = blocks.filter { $0.fenceInfo == "mermaid" }
            let hasMap = !(report.detection.systemMap?.isEmpty ?? true)
            #expect(mermaid.count == (hasMap ? 1 : 0), "\(name)")
            if let block = mermaid.first {
                #expect(block.literal.hasPrefix("flowchart LR\n"), "\(name)")
            }
            // The rollback's restore commands, inside the ordered list (a plan without steps has none).
            if let restore = report.plan.rollbackStrategy.stages.first(where: { !$0.commands.isEmpty }) {
                #expect(blocks.contains { $0.literal == restore.commands.joined(separator: "\n") + "\n" }, "\(name)")
            } else {
                #expect(report.plan.steps.isEmpty, "\(name): a plan with steps and no restore commands")
            }
        }
    }

    @Test("the summary numbers come from the model")
    func summary() throws {
        for (name, report) in try reports() {
            let document = CMark.parse(try markdown(report))
            let items = section(document, "Executive Summary").first { $0.kind == .list }?.children.map(\.plainText) ?? []
            #expect(items.contains("Complexity: \(report.complexity.complexityLevel.displayName) (score \(report.complexity.complexityScore))"), "\(name)")
            // One effort: the steps' own durations added up from the model's numbers, and nothing beside it.
            let low = report.plan.steps.map(\.durationHours.low).reduce(0, +)
            let high = report.plan.steps.map(\.durationHours.high).reduce(0, +)
            #expect(abs(report.plan.stepHoursTotal.low - low) < 0.005 && abs(report.plan.stepHoursTotal.high - high) < 0.005, "\(name)")
            if report.plan.steps.isEmpty {
                #expect(items.contains { $0.hasPrefix("Plan: no migration steps") }, "\(name): \(items)")
                #expect(!items.contains { $0.hasPrefix("Estimated effort") }, "\(name): \(items)")
            } else {
                #expect(items.contains("Estimated effort: \(report.plan.stepHoursTotal.text), about \(report.plan.timeline.effortEstimate): \(EffortWording.headline)"), "\(name): \(items)")
                #expect(items.contains("Risk: \(report.plan.riskAssessment.level.rawValue): \(report.plan.riskAssessment.rule) (risk score \(report.complexity.riskScore))"), "\(name): \(items)")
                #expect(report.plan.riskAssessment.level == report.plan.steps.map(\.risk).max())
            }
            #expect(!items.contains { $0.hasPrefix("Steps added up") || $0.contains("\(report.complexity.estimatedHours) hours,") }, "\(name): two efforts in \(items)")
            #expect(items.contains("Steps: \(report.plan.steps.count)"))
            #expect(items.contains("Breaking changes: \(report.complexity.breakingChanges.count)"))
            let missing = section(document, "Missing patterns (\(report.detection.gaps.count))")
            let gapItems = missing.first { $0.kind == .list }?.children ?? []
            #expect(gapItems.count == report.detection.gaps.count, "\(name)")
        }
    }

    @Test("names and config values cannot inject Markdown or HTML")
    func escaping() throws {
        for (name, report) in try reports() where name == "hostile" || name == "database" {
            let text = try markdown(report)
            let document = CMark.parse(text)
            let forbidden: [MarkdownNode.Kind] = [.link, .image, .emphasis, .htmlInline, .htmlBlock]
            for node in document.all where forbidden.contains(node.kind) {
                Issue.record("\(name): a \(node.kind) node appeared: \(node.plainText) \(node.url)")
            }
            for unsafe in [false, true] {
                let html = CMark.html(text, unsafe: unsafe)
                #expect(!html.contains("<script"), "\(name) unsafe=\(unsafe)")
                #expect(!html.contains("<a "), "\(name) unsafe=\(unsafe)")
                #expect(!html.contains("<em>"), "\(name) unsafe=\(unsafe)")
                #expect(!html.contains("<img"), "\(name) unsafe=\(unsafe)")
                #expect(!html.contains("<i>") && !html.contains("<b>"), "\(name) unsafe=\(unsafe)")
                #expect(!html.contains("raw HTML omitted"), "\(name): raw HTML reached cmark")
            }
            // The text is still there, shown as text.
            let all = document.plainText + document.all.filter { $0.kind == .codeBlock }.map(\.literal).joined()
            #expect(all.contains("<script>alert(1)</script>"), "\(name)")
            #expect(all.contains("[x](y)") || name == "database", "\(name)")
            let headings = document.all.filter { $0.kind == .heading }
            #expect(headings.filter { $0.level == 1 }.count == 1)
        }
    }

    @Test("the hostile tree's agent names appear literally in the authority-domains evidence")
    func hostileAgentNames() throws {
        let tree = try hostileTree()
        let report = try analyze(tree.absolute("root *a* _b_ [x](y) `t` <i>"))
        let detail = try #require(report.detection.evidence.first { $0.subject.rawValue == "authority-domains" }?.detail)
        let document = CMark.parse(try markdown(report))
        let items = document.all.filter { $0.kind == .item }.map(\.plainText)
        #expect(items.contains { $0.hasSuffix(detail) }, "the detail renders back to exactly its text")
    }

    // MARK: MarkdownText

    static let inlineInputs = [
        "plain words", "*star*", "_under_", "**bold**", "__bold__", "[x](y)", "![i](j)", "<script>alert(1)</script>",
        "`tick`", "``double``", "- item", "+ item", "* item", "-", "1. one", "1) one", "123456789. nine digits",
        "# heading", "### h3", "> quote", "---", "***", "___", "===", "- - -", "a\\*b", "back\\slash\\", "&amp; &#65; &copy",
        "<http://example.com>", "a | b | c", "~~strike~~", "line\nbreak", "control \u{1B}[31m red", "[ref]: http://x",
        "a<b>c", "{{mustache}}", "\ttab first", "x_y_z", "snake_case_name", "2 * 3 * 4", "![", "](", "<!-- c -->",
        "www.example.com http://bare.example", "100.", "1.5 hours", "   # hash",
    ]

    @Test("inline text stays one plain paragraph", arguments: inlineInputs)
    func inlineIsPlain(_ input: String) throws {
        let escaped = MarkdownText.inline(input)
        #expect(!escaped.contains("\n"))
        let cleaned = MarkdownText.clean(input)
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        // Leading spaces are kept (as character references); cmark drops trailing ones.
        let expected = String(cleaned.reversed().drop { $0 == " " }.reversed())

        // As a paragraph of its own.
        let alone = CMark.parse("Text before.\n\n" + escaped + "\n")
        #expect(Set(alone.all.map(\.kind)).isSubset(of: [.document, .paragraph, .text]), "paragraph: \(alone.all.map(\.kind))")
        #expect(alone.children.count == (trimmed.isEmpty ? 1 : 2))
        if !trimmed.isEmpty { #expect(alone.children.last?.plainText == expected) }

        // As a list item, the way the templates use it.
        let item = CMark.parse("- " + escaped + "\n")
        #expect(Set(item.all.map(\.kind)).isSubset(of: [.document, .list, .item, .paragraph, .text]), "item: \(item.all.map(\.kind))")
        #expect(item.children.count == 1)
        #expect(item.children.first?.children.count == 1, "one list item")
        #expect(item.children.first?.plainText == expected)

        // After other words on the same line.
        let after = CMark.parse("Label: " + escaped + "\n")
        #expect(Set(after.all.map(\.kind)).isSubset(of: [.document, .paragraph, .text]), "after: \(after.all.map(\.kind))")
        let wanted = "Label: " + cleaned
        #expect(after.plainText == String(wanted.reversed().drop { $0 == " " }.reversed()))
    }

    static let indentedInputs = ["    four spaces", "   - three spaces then dash", "  1. two spaces then number"]

    @Test("inline text with leading spaces stays one plain paragraph", arguments: indentedInputs)
    func inlineLeadingSpaces(_ input: String) throws {
        let document = CMark.parse("Text before.\n\n" + MarkdownText.inline(input) + "\n")
        let kinds = Set(document.all.map(\.kind))
        #expect(kinds.isSubset(of: [.document, .paragraph, .text]), "\(kinds)")
    }

    @Test("inline escapes control characters and line breaks")
    func inlineControl() {
        #expect(MarkdownText.inline("a\nb\r\nc\td") == "a b  c d")
        #expect(MarkdownText.inline("\u{1B}[2J") == "\u{FFFD}\\[2J")
        #expect(MarkdownText.clean("\u{7}\u{9B}\u{2028}") == "\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    static let codeSpanInputs = [
        "plain", "a`b", "``", "`start", "end`", " both ", " lead", "trail ", "a``b```c", "<script>", "*x*",
        "line\nbreak", "`", "inbox/a b/c.msg", "a\u{7}b", "\\",
    ]

    @Test("codeSpan holds any text as exactly one code span", arguments: codeSpanInputs)
    func codeSpan(_ input: String) {
        let document = CMark.parse(MarkdownText.codeSpan(input) + "\n")
        let paragraph = document.children.first
        #expect(document.children.count == 1)
        #expect(paragraph?.kind == .paragraph)
        #expect(paragraph?.children.map(\.kind) == [.code])
        #expect(paragraph?.children.first?.literal == MarkdownText.clean(input))
    }

    @Test("fence(for:) is longer than any backtick run in the lines", arguments: [
        ([String](), "```"), (["ls -la"], "```"), (["echo ```"], "````"), (["``````", "``"], "```````"),
        (["a`b``c"], "```"),
    ])
    func fenceLength(_ lines: [String], _ fence: String) {
        #expect(MarkdownText.fence(for: lines) == fence)
    }

    @Test("a block fenced with fence(for:) holds its lines exactly", arguments: [
        ["ls", "echo hi"], ["```"], ["````", "```"], ["~~~", "```bash"], ["  ```  "], ["<script>", "*x*", "[a](b)"],
    ])
    func fenceRoundTrip(_ lines: [String]) {
        let fence = MarkdownText.fence(for: lines)
        let document = CMark.parse("\(fence)bash\n" + lines.joined(separator: "\n") + "\n\(fence)\n")
        #expect(document.children.map(\.kind) == [.codeBlock])
        #expect(document.children.first?.fenceInfo == "bash")
        #expect(document.children.first?.literal == lines.joined(separator: "\n") + "\n")
    }
}
