import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// Skips with an owner and an expiry date, end to end: read from the project file,
/// decided by the run's clock, and reported in every format.
@Suite("Baselines that expire")
struct ExpiringSkipTests {
    static let projectFile = """
        skip_patterns:
          - id: priority-queue
            reason: One lane is enough at our size.
            owner: platform-team
            expires: 2027-06-30
          - id: defer-queue
            reason: Parked until the queue rewrite.
            owner: ops
            expires: 2026-11-25
          - tla-verification
        """

    /// agent-bridge with the project file above.
    static func tree(_ scratch: Scratch, project: String = projectFile) throws -> String {
        let tree = try copySample("agent-bridge", into: scratch, as: "tree")
        _ = try scratch.file("tree/.coord-migrate.yaml", project)
        return tree
    }

    @Test("the day it expires, a skip is checked again and every format warns; the day before, it applies")
    func expiryInEveryFormat() throws {
        let scratch = try Scratch("expiry")
        let tree = try Self.tree(scratch)
        let before = try scratch.dir("before"), after = try scratch.dir("after")
        let formats = "md,html,junit,json,sarif,github"
        let day = try CLI.run(["--path", tree, "--format", formats, "--output-dir", before, "--now", "2026-11-24T23:59:59Z", "--quiet"])
        #expect(day.status == 0, "\(day.stderr)")
        // SOURCE_DATE_EPOCH is the run's clock too: 2026-11-25T00:00:00Z.
        let next = try CLI.run(["--path", tree, "--format", formats, "--output-dir", after, "--quiet"],
                               environment: ["SOURCE_DATE_EPOCH": "1795564800"])
        #expect(next.status == 0, "\(next.stderr)")

        let applied = try JSONReport(file: before + "/migration-plan.json")
        #expect(applied.strings("detection.skipped_patterns") == ["defer-queue", "priority-queue", "tla-verification"])
        #expect(!applied.strings("detection.gaps").contains("defer-queue"))
        #expect(applied.objects("skips").map { $0["expired"] as? Bool } == [false, false, false])

        let report = try JSONReport(file: after + "/migration-plan.json")
        #expect(report.strings("detection.skipped_patterns") == ["priority-queue", "tla-verification"])
        #expect(report.strings("detection.gaps") == ["defer-queue"], "checked again, and missing")
        let skips = report.objects("skips")
        #expect(skips.map { $0["id"] as? String } == ["defer-queue", "priority-queue", "tla-verification"])
        #expect(skips.map { $0["expired"] as? Bool } == [true, false, false])
        #expect(skips[0]["owner"] as? String == "ops" && skips[0]["expires"] as? String == "2026-11-25")
        #expect(skips[0]["source"] as? String == ".coord-migrate.yaml" && (skips[0]["line"] as? NSNumber)?.intValue == 6)
        #expect(skips[2]["reason"] as? String == "skipped in .coord-migrate.yaml", "the plain id form")
        let warning = try #require(report.objects("detection.warnings").first { ($0["message"] as? String)?.contains("expired") == true })
        #expect(warning["path"] as? String == ".coord-migrate.yaml" && (warning["line"] as? NSNumber)?.intValue == 6)
        let message = try #require(warning["message"] as? String)
        #expect(message.contains("'defer-queue'") && message.contains("ops") && message.contains("2026-11-25"))
        let schema = try JSONSchemaTests.validate(document: URL(fileURLWithPath: after + "/migration-plan.json"))
        #expect(schema.status == 0, "\(schema.output)")

        // Markdown and HTML list the warning; their skipped patterns carry owner and date.
        let markdown = try String(contentsOfFile: after + "/migration-plan.md", encoding: .utf8)
        #expect(markdown.contains("the skip of 'defer-queue' (owner: ops) expired on 2026-11-25"))
        #expect(markdown.contains("One lane is enough at our size. (owner: platform-team; expires 2027-06-30)"))
        let page = try Consumer.html(after + "/migration-plan.html")
        #expect(page.text.contains("the skip of 'defer-queue' (owner: ops) expired on 2026-11-25"))
        // JUnit: the expired skip's pattern fails and says why; the others stay <skipped> with their reason.
        try Consumer.xmllint(after + "/migration-plan.xml")
        let junit = try Consumer.junit(after + "/migration-plan.xml")
        junit.expectTrueCounts()
        let patterns = try #require(junit.suite("patterns"))
        #expect(patterns.failingNames == ["defer-queue"])
        #expect(patterns.cases.filter { $0.skipped > 0 }.map { $0.name ?? "" } == ["priority-queue", "tla-verification"])
        #expect(patterns.properties["expired_skips"] == "defer-queue (2026-11-25)")
        let xml = String(decoding: try fileData(after + "/migration-plan.xml"), as: UTF8.self)
        #expect(xml.contains("<skipped message=\"One lane is enough at our size.\">owner: platform-team; expires 2027-06-30</skipped>"))
        #expect(xml.contains("warning: .coord-migrate.yaml:6: the skip of 'defer-queue'"))
        // SARIF and GitHub: a CM302 warning at the entry.
        let sarif = try SARIFLog(file: after + "/migration-plan.sarif")
        #expect(sarif.results(rule: "CM302").count == 1)
        let commands = try WorkflowCommand.decode(after + "/migration-plan.github")
        #expect(commands.contains {
            $0.command == "warning" && $0.properties["file"] == ".coord-migrate.yaml" && $0.properties["line"] == "6"
                && $0.message.contains("expired on 2026-11-25")
        })
        let quietBefore = try WorkflowCommand.decode(before + "/migration-plan.github")
        #expect(!quietBefore.contains { $0.message.contains("expired") })
    }

    @Test("--fail-on expired-skips fails only once a skip expired; fail_on in the project file works too")
    func expiredSkipsGate() throws {
        let scratch = try Scratch("expiry-gate")
        let tree = try Self.tree(scratch)
        let out = try scratch.dir("out")
        let early = try analyzeInto(out, path: tree, formats: "junit,json", extra: ["--fail-on", "expired-skips", "--now", "2026-11-01T00:00:00Z"])
        #expect(early.status == 0, "\(early.stderr)")
        let late = try analyzeInto(out, path: tree, formats: "junit,json", extra: ["--fail-on", "expired-skips"])
        #expect(late.status == 1, "\(late.stderr)")
        let report = try JSONReport(file: out + "/migration-plan.json")
        #expect(report.gates.map(\.condition) == ["expired-skips"] && report.gates.map(\.failed) == [true])
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        junit.expectTrueCounts()
        #expect(junit.suite("gates")?.caseNames == ["expired-skips"])
        #expect(junit.suite("gates")?.failingNames == ["expired-skips"])

        let other = try Scratch("expiry-gate-file")
        let fromFile = try Self.tree(other, project: Self.projectFile + "\nfail_on: [expired-skips]\n")
        let run = try analyzeInto(try scratch.dir("out2"), path: fromFile, formats: "json")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("gate expired-skips failed: 1 skip expired: defer-queue (2026-11-25)"), "\(run.stderr)")
    }

    @Test("--show-skipped lists every skip with its reason, owner, date and where it was declared")
    func showSkipped() throws {
        let scratch = try Scratch("show-skipped")
        let tree = try Self.tree(scratch)
        let run = try CLI.run(["--path", tree, "--format", "json", "--output", scratch.absolute("r.json"), "--now", fixedNowText,
                               "--quiet", "--show-skipped"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderrLines.map(String.init)
        #expect(lines.first == "Skipped patterns (3):", "\(run.stderr)")
        #expect(lines.contains("  defer-queue  expired on 2026-11-25, checked again: Parked until the queue rewrite.  [.coord-migrate.yaml:6; owner: ops]"))
        #expect(lines.contains("  priority-queue  skipped until 2027-06-30: One lane is enough at our size.  [.coord-migrate.yaml:2; owner: platform-team]"))
        #expect(lines.contains("  tla-verification  skipped: skipped in .coord-migrate.yaml  [.coord-migrate.yaml:10]"))
        let flags = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", scratch.absolute("s.json"),
                                 "--now", fixedNowText, "--quiet", "--show-skipped", "--skip-pattern", "defer-queue"])
        #expect(flags.stderrLines.map(String.init) == ["Skipped patterns (1):", "  defer-queue  skipped: skipped with --skip-pattern  [--skip-pattern]"])
        let none = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", scratch.absolute("n.json"),
                                "--now", fixedNowText, "--quiet", "--show-skipped"])
        #expect(none.stderrLines.map(String.init) == ["Nothing is skipped."])
    }

    struct BadEntry: Sendable, CustomTestStringConvertible {
        var entry: String
        var line: Int
        var message: String
        var testDescription: String { entry.replacingOccurrences(of: "\n", with: " ") }
    }

    static let badEntries: [BadEntry] = [
        .init(entry: "  - id: defer-queue\n    reason: r\n    expires: 2026-02-30", line: 4, message: "YYYY-MM-DD"),
        .init(entry: "  - id: defer-queue\n    reason: r\n    expires: next year", line: 4, message: "YYYY-MM-DD"),
        .init(entry: "  - id: defer-queue\n    reason: r\n    expires: 20261231", line: 4, message: "YYYY-MM-DD"),
        .init(entry: "  - id: defer-queue\n    reason: r\n    owner: [a, b]", line: 4, message: "owner must be text"),
        .init(entry: "  - id: defer-queue\n    reason: r\n    expire: 2027-01-01", line: 4, message: "unknown key 'expire'"),
        .init(entry: "  - id: defer-queue\n    owner: ops", line: 2, message: "needs an 'id' and a 'reason'"),
        .init(entry: "  - defer-queue\n  - id: defer-queue\n    reason: twice", line: 3, message: "skipped twice"),
        .init(entry: "  - no-such-pattern", line: 2, message: "cannot skip 'no-such-pattern'"),
    ]

    @Test("a malformed skip entry is exit 2 with the file and line, and nothing is written", arguments: badEntries)
    func badEntry(_ row: BadEntry) throws {
        let scratch = try Scratch("bad-skip")
        let tree = try Self.tree(scratch, project: "skip_patterns:\n" + row.entry + "\n")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: tree, formats: "json")
        #expect(run.status == 2)
        let errors = run.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
        #expect(errors.count == 1, "\(run.stderr)")
        #expect(errors.first?.contains(".coord-migrate.yaml:\(row.line): ") == true, "\(run.stderr)")
        #expect(errors.first?.contains(row.message) == true, "\(run.stderr)")
        #expect(try listing(out).isEmpty)
    }
}
