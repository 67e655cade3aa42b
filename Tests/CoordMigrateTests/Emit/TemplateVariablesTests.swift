@testable import CoordMigrateModel
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import CoordMigrateTestSupport
import Foundation
import Testing

@testable import CoordMigrate

/// The template variable reference is the view model's own declaration: every key the
/// views produce is declared with its kind, every declared key is produced, and the
/// published page is what the declaration writes.
@Suite("Template variables")
struct TemplateVariablesTests {
    /// Reports that between them fill every part of the view: every sample (a database,
    /// discovery, warnings, parts), plus one with a house rule, skips and a policy.
    static func reports() throws -> [MigrationReport] {
        var reports = try sampleNames().map { try analyze(sampleURL($0).path) }
        let tree = try TempTree("variables")
        _ = try tree.file("inbox/alice/m1.msg", "hi")
        _ = try tree.file("events.log", "started\n")
        _ = try tree.file("state.lock", "")
        _ = try tree.file(".coord-migrate.yaml", #"""
            skip_patterns:
              - id: tla-verification
                reason: No formal specifications.
                owner: platform
                expires: 2099-01-01
            policy:
              hours: { base: { simple: 6 } }
            rules:
              - id: lock-files
                doc: https://wiki.example.com/locks
                when: { any: [ { file_name: '\.lock$' } ] }
            """#)
        let config = try #require(try ProjectConfig.load(inFolder: tree.path))
        let options = AnalysisOptions(now: fixedNow).applying(config, analysedFolder: tree.path)
        var report = try MigrationAssistant(path: tree.path, options: options).analyze()
        // A system in parts, as a tree of several packages is reported.
        report.detection.parts = [SystemPart(path: "bridge/", findings: ["event-log"]), SystemPart(path: "./", findings: ["agent-config"])]
        reports.append(report)
        return reports
    }

    @Test("every key the Markdown and HTML views produce is declared with its kind, and every declared key is produced")
    func viewMatchesDeclaration() throws {
        let reports = try Self.reports()
        #expect(reports.contains { $0.detection.database != nil } && reports.contains { $0.detection.discovery != nil })
        #expect(reports.contains { !$0.detection.customPatterns.isEmpty && $0.policy != nil && !$0.skips.isEmpty })
        var produced = Set<String>()
        var problems: [String] = []
        let htmlKeys = Set(TemplateVariables.html.variables.map(\.name))
        for report in reports {
            TemplateVariables.audit(
                ReportView.context(for: report), against: TemplateVariables.root(for: "md"), owner: { _ in "report" },
                produced: &produced, problems: &problems)
            TemplateVariables.audit(
                HTMLEmitter.context(for: report), against: TemplateVariables.root(for: "html"),
                owner: { htmlKeys.contains($0) ? "html" : "report" }, produced: &produced, problems: &problems)
        }
        #expect(Set(problems).sorted() == [])
        #expect(TemplateVariables.declaredKeys.subtracting(produced).sorted() == [], "declared but never produced")
        #expect(produced.subtracting(TemplateVariables.declaredKeys).sorted() == [])
    }

    @Test("the JSON fields the top-level keys name are fields of the JSON report")
    func jsonNamesExist() throws {
        let documents = try Self.reports().map { try JSONSerialization.jsonObject(with: $0.jsonData()) }
        func holds(_ document: Any, _ path: String) -> Bool {
            var current: Any? = document
            for part in path.split(separator: ".") {
                if let list = current as? [Any] { current = list.first }
                guard let object = current as? [String: Any], let next = object[String(part)] else { return false }
                current = next
            }
            return true
        }
        for variable in TemplateVariables.report.variables + TemplateVariables.html.variables {
            guard let json = variable.json else { continue }
            #expect(documents.contains { holds($0, json) }, "\(variable.name) → \(json)")
        }
    }

    @Test("a key the view adds without a declaration, or of another kind, is found")
    func auditFindsUndeclaredKeys() {
        var produced = Set<String>()
        var problems: [String] = []
        let context: [String: Any] = [
            "targetPath": "/srv", "gapCount": "two", "newKey": 1,
            "steps": [["number": 1, "surprise": true] as [String: Any]],
        ]
        TemplateVariables.audit(
            context, against: TemplateVariables.root(for: "md"), owner: { _ in "report" }, produced: &produced, problems: &problems)
        #expect(problems.sorted() == [
            "gapCount is declared a number but holds String",
            "newKey is not declared in TemplateVariables (report)",
            "steps[].surprise is not declared in TemplateVariables (step)",
        ])
        #expect(produced == ["report.targetPath", "report.gapCount", "report.steps", "step.number"])
    }

    @Test("each declared key has a meaning, is declared once in its scope, and lists name declared scopes")
    func declarationIsWhole() {
        for scope in TemplateVariables.scopes {
            #expect(Set(scope.variables.map(\.name)).count == scope.variables.count, "\(scope.name)")
            for variable in scope.variables {
                #expect(variable.meaning.hasSuffix(".") && variable.meaning.count > 5, "\(scope.name).\(variable.name)")
                switch variable.kind {
                case let .list(name), let .object(name):
                    #expect(TemplateVariables.scopes.contains { $0.name == name }, "\(scope.name).\(variable.name) → \(name)")
                default: break
                }
            }
        }
    }

    @Test("docs/template-variables.md is the reference the declaration writes")
    func publishedReference() throws {
        let file = packageRoot.appendingPathComponent("docs/template-variables.md")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try TemplateVariables.reference.write(to: file, atomically: true, encoding: .utf8)
        }
        let published = try String(contentsOf: file, encoding: .utf8)
        #expect(published == TemplateVariables.reference, "regenerate with RECORD_SNAPSHOTS=1 swift test --filter TemplateVariablesTests")
        for scope in TemplateVariables.scopes {
            for variable in scope.variables { #expect(published.contains("| `\(variable.name)` |")) }
        }
    }
}
