@testable import CoordMigrateEmit
import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

// The customisation features through the built binary: `.coord-migrate.yaml`
// and `--config`, flags replacing the file's settings, `--rules`, `--policy`,
// `--skip-pattern`, how each format shows them, and how bad settings files are
// refused. Every run checks that the analysed tree is left exactly as it was.

/// A small system (event log, two inboxes, agent configuration, a lock file, a
/// script, optionally a TLA+ spec under vendor/), a settings folder beside it,
/// and a working folder and output folders outside it.
final class CustomisationFixture {
    let scratch: Scratch
    let tree: String
    let settings: String
    let work: String

    init(spec: Bool = true) throws {
        scratch = try Scratch("custom")
        tree = try scratch.dir("system")
        settings = try scratch.dir("settings")
        work = try scratch.dir("work")
        _ = try scratch.file("system/events.log", "{\"event\": \"start\"}\n")
        _ = try scratch.file("system/config.yaml", """
            agents:
              alpha:
                role: planner
                lock_timeout: 30
              beta:
                role: reviewer

            """)
        _ = try scratch.file("system/inbox/alpha/2026-11-20-beta-550e8400-e29b-41d4-a716-446655440000.msg", "hello\n")
        _ = try scratch.dir("system/inbox/beta")
        _ = try scratch.file("system/locks/state.lock", "")
        _ = try scratch.file("system/scripts/deploy.sh", "#!/bin/sh\necho start\nflock /tmp/deploy.lock make\n")
        if spec { _ = try scratch.file("system/vendor/specs/model.tla", "---- MODULE model ----\n====\n") }
    }

    /// Writes the project file at the analysed root (before any run).
    func projectFile(_ text: String) throws {
        _ = try scratch.file("system/.coord-migrate.yaml", text)
    }

    var projectFilePath: String { tree + "/.coord-migrate.yaml" }

    /// Writes a settings file outside the tree and returns its path.
    func setting(_ name: String, _ text: String) throws -> String {
        try scratch.file("settings/\(name)", text)
    }

    /// A fresh, empty output folder.
    func outputFolder(_ name: String) throws -> String { try scratch.dir("out-\(name)") }

    /// Every entry below the tree with its contents (folders as a marker).
    func treeSnapshot() -> [String: Data] {
        var entries: [String: Data] = [:]
        for relative in (FileManager.default.enumerator(atPath: tree)?.allObjects as? [String] ?? []) {
            let path = tree + "/" + relative
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            entries[relative] = isDirectory.boolValue ? Data("<folder>".utf8) : (FileManager.default.contents(atPath: path) ?? Data())
        }
        return entries
    }

    /// Runs the tool from the working folder; the tree must not change.
    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let before = treeSnapshot()
        let result = try CLI.run(arguments, in: URL(fileURLWithPath: work))
        #expect(treeSnapshot() == before, "the analysed tree was written to", sourceLocation: sourceLocation)
        #expect(try listing(work).isEmpty, "nothing is written to the working folder", sourceLocation: sourceLocation)
        return result
    }

    /// `--path TREE --output-dir OUT --now … --quiet [--format F]` plus `extra`.
    func analyze(into out: String, formats: String? = nil, _ extra: [String] = [],
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        try run(["--path", tree, "--output-dir", out, "--now", fixedNowText, "--quiet"]
                + (formats.map { ["--format", $0] } ?? []) + extra, sourceLocation: sourceLocation)
    }

    /// Runs with JSON to stdout and reads the report.
    func report(_ extra: [String] = [], status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONReport {
        let result = try run(["--path", tree, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"] + extra,
                             sourceLocation: sourceLocation)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        return try JSONReport(data: result.stdout)
    }
}

@Suite("Customisation end to end (binary)")
struct CustomisationEndToEndTests {
    static let specReason = "We do not write formal specifications."

    /// What junitparser reads as skipped: suite, testcase, message.
    static let skippedScript = #"""
        import sys, json
        from junitparser import JUnitXml, Skipped
        xml = JUnitXml.fromfile(sys.argv[1])
        out = []
        for suite in xml:
            for case in suite:
                for result in case.result:
                    if isinstance(result, Skipped):
                        out.append([suite.name, case.name, result.message or ""])
        print(json.dumps(out))
        """#

    /// The lines of a Markdown report under `### title`, up to the next heading, without blank lines.
    static func markdownSection(_ text: String, _ title: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("### \(title)") }) else { return [] }
        return lines[(start + 1)...].prefix { !$0.hasPrefix("#") }.filter { !$0.isEmpty }
    }

    static func factor(_ scale: String?) -> Double {
        ["individual": 1, "team": 1.5, "organization": 2, "enterprise": 3][scale ?? ""] ?? .nan
    }

    static func customIDs(_ report: JSONReport) -> [String] {
        report.objects("detection.custom_patterns").compactMap { $0["id"] as? String }
    }

    static func pattern(_ report: JSONReport, _ id: String) -> [String: Any]? {
        report.objects("detection.patterns").first { $0["id"] as? String == id }
    }

    // MARK: - 3. The project file and the flags that replace its settings

    @Test("formats: .coord-migrate.yaml at the root is read without being named; --format replaces it")
    func formats() throws {
        let fixture = try CustomisationFixture()
        try fixture.projectFile("formats: [json]\n")
        let fromFile = try fixture.outputFolder("file")
        let run = try fixture.analyze(into: fromFile)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(fromFile) == ["migration-plan.json"])

        let fromFlag = try fixture.outputFolder("flag")
        let flagged = try fixture.analyze(into: fromFlag, formats: "md")
        #expect(flagged.status == 0, "\(flagged.stderr)")
        #expect(try listing(fromFlag) == ["migration-plan.md"])
    }

    @Test("--config FILE replaces the root's .coord-migrate.yaml, which is then not read at all")
    func configFlagReplacesRootFile() throws {
        let fixture = try CustomisationFixture()
        // The root file is invalid: reading it at all would fail the run.
        try fixture.projectFile("formats: [json]\nbogus: 1\n")
        let refused = try fixture.outputFolder("refused")
        let run = try fixture.analyze(into: refused)
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(fixture.projectFilePath):2: unknown key 'bogus'"), "\(run.stderr)")
        #expect(try listing(refused).isEmpty)

        let config = try fixture.setting("team.yaml", "formats: [html]\n")
        let out = try fixture.outputFolder("config")
        let replaced = try fixture.analyze(into: out, ["--config", config])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try listing(out) == ["migration-plan.html"])
    }

    @Test("--config FILE that does not exist: exit 2, nothing written")
    func missingConfigFile() throws {
        let fixture = try CustomisationFixture()
        let out = try fixture.outputFolder("missing")
        let missing = fixture.settings + "/absent.yaml"
        let run = try fixture.analyze(into: out, formats: "json", ["--config", missing])
        #expect(run.status == 2)
        #expect(run.stderr.contains(missing), "\(run.stderr)")
        #expect(try listing(out).isEmpty)
    }

    @Test("fail_on: the file's gate fails the run (exit 1, reports written); --fail-on replaces it")
    func failOn() throws {
        let fixture = try CustomisationFixture()
        try fixture.projectFile("fail_on: [\"gaps>0\"]\nformats: [json, junit]\n")
        let out = try fixture.outputFolder("file")
        let run = try fixture.analyze(into: out)
        let report = try JSONReport(file: out + "/migration-plan.json")
        try #require(!report.strings("detection.gaps").isEmpty, "the tree has gaps")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("gaps>0"), "\(run.stderr)")
        #expect(report.gates.map(\.condition) == ["gaps>0"])
        #expect(report.gates.map(\.failed) == [true])
        #expect(try listing(out) == ["migration-plan.json", "migration-plan.xml"], "reports are still written")

        let flagged = try fixture.outputFolder("flag")
        let passing = try fixture.analyze(into: flagged, ["--fail-on", "gaps>100"])
        #expect(passing.status == 0, "\(passing.stderr)")
        let replaced = try JSONReport(file: flagged + "/migration-plan.json")
        #expect(replaced.gates.map(\.condition) == ["gaps>100"], "the flag replaces the file's conditions")
        #expect(replaced.gates.map(\.failed) == [false])
    }

    @Test("exclude: the file's globs are applied; --exclude replaces them")
    func exclude() throws {
        let fixture = try CustomisationFixture(spec: true)
        let plain = try fixture.report()
        #expect(plain.strings("detection.existing_patterns").contains("tla-verification"), "vendor/specs/model.tla counts")

        try fixture.projectFile("exclude: [vendor]\n")
        let excluded = try fixture.report()
        #expect(excluded.strings("detection.gaps").contains("tla-verification"), "vendor/ is excluded by the file")

        let replaced = try fixture.report(["--exclude", "*.bak"])
        #expect(replaced.strings("detection.existing_patterns").contains("tla-verification"), "--exclude replaces the file's list")
    }

    @Test("skip_patterns: the file's skips apply with their reason; --skip-pattern replaces them")
    func skipPatterns() throws {
        let fixture = try CustomisationFixture(spec: true)
        try fixture.projectFile("""
            skip_patterns:
              - id: tla-verification
                reason: \(Self.specReason)

            """)
        let fromFile = try fixture.report()
        #expect(fromFile.strings("detection.skipped_patterns") == ["tla-verification"])
        #expect(Self.pattern(fromFile, "tla-verification")?["skipped_reason"] as? String == Self.specReason)
        #expect(!fromFile.strings("detection.existing_patterns").contains("tla-verification"))

        let fromFlag = try fixture.report(["--skip-pattern", "event-sourcing"])
        #expect(fromFlag.strings("detection.skipped_patterns") == ["event-sourcing"])
        #expect(Self.pattern(fromFlag, "event-sourcing")?["skipped_reason"] as? String == "skipped with --skip-pattern")
        #expect(Self.pattern(fromFlag, "tla-verification")?["skipped_reason"] == nil)
        #expect(fromFlag.strings("detection.existing_patterns").contains("tla-verification"), "the file's skip no longer applies")
        #expect(!fromFlag.strings("detection.existing_patterns").contains("event-sourcing"))
        #expect(!fromFlag.strings("detection.gaps").contains("event-sourcing"))
    }

    @Test("rules: the file's rules run; --rules replaces them")
    func rules() throws {
        let fixture = try CustomisationFixture()
        try fixture.projectFile(#"""
            rules:
              - id: from-file
                when: {any: [{file_name: '\.lock$'}]}

            """#)
        let fromFile = try fixture.report()
        #expect(Self.customIDs(fromFile) == ["from-file"])
        #expect(fromFile.objects("detection.custom_patterns").first?["present"] as? Bool == true)

        let rules = try fixture.setting("rules.yaml", """
            rules:
              - id: from-flag
                title: Deploys take a lock
                when:
                  all:
                    - content: {glob: "scripts/*.sh", regex: "^flock "}
                    - config_key: "agents.*.lock_timeout"

            """)
        let fromFlag = try fixture.report(["--rules", rules])
        #expect(Self.customIDs(fromFlag) == ["from-flag"], "--rules replaces the file's rules")
        let finding = try #require(fromFlag.objects("detection.custom_patterns").first)
        #expect(finding["present"] as? Bool == true)
        #expect(finding["evidence_kinds"] as? [String] == ["config", "code"])
        let evidence = fromFlag.objects("detection.evidence").filter { $0["subject"] as? String == "from-flag" }
        #expect(evidence.contains { $0["kind"] as? String == "code" && $0["path"] as? String == "scripts/deploy.sh" && $0["line"] as? Int == 3 })
        #expect(evidence.contains { $0["kind"] as? String == "config" && $0["path"] as? String == "config.yaml" })
        // Rules do not change the score by default.
        let plain = try CustomisationFixture()
        let baseline = try plain.report()
        for key in ["complexity.complexity_score", "complexity.estimated_hours", "complexity.risk_score"] {
            #expect(fromFlag.int(key) == baseline.int(key), "\(key)")
        }
        #expect(fromFlag.strings("detection.gaps") == baseline.strings("detection.gaps"))
    }

    @Test("policy: the file's policy is used and named; --policy replaces it")
    func policy() throws {
        let fixture = try CustomisationFixture()
        let seed = try fixture.report()
        #expect(seed.value("policy") == nil)

        try fixture.projectFile("policy:\n  hours: {base: {simple: 7, moderate: 7, complex: 7, very_complex: 7}}\n")
        let fromFile = try fixture.report()
        #expect(fromFile.string("policy.source") == fixture.projectFilePath)
        #expect(fromFile.strings("policy.changes") == [
            "hours.base.simple: 4 → 7", "hours.base.moderate: 16 → 7", "hours.base.complex: 40 → 7",
            "hours.base.very_complex: 80 → 7",
        ])
        #expect(fromFile.int("complexity.estimated_hours") == Int(7 * Self.factor(fromFile.string("detection.estimated_scale"))))

        let policy = try fixture.setting("policy.yaml", "risk:\n  gaps: 4\n  gaps_threshold: 0\n")
        let fromFlag = try fixture.report(["--policy", policy])
        #expect(fromFlag.string("policy.source") == policy)
        #expect(fromFlag.strings("policy.changes") == ["risk.gaps: 1 → 4", "risk.gaps_threshold: 5 → 0"])
        // The file's hours are gone; the flag's risk applies: +4 whatever the number of gaps.
        #expect(fromFlag.int("complexity.estimated_hours") == seed.int("complexity.estimated_hours"))
        let seedRisk = try #require(seed.int("complexity.risk_score"))
        let seedGapRisk = seed.strings("detection.gaps").count >= 5 ? 1 : 0
        #expect(fromFlag.int("complexity.risk_score") == seedRisk - seedGapRisk + 4)
    }

    // MARK: - 2. The policy in every format

    @Test("a custom policy is named in JSON (validated), Markdown, HTML and JUnit; the default policy is not")
    func policyInEveryFormat() throws {
        let fixture = try CustomisationFixture()
        let policy = try fixture.setting("policy.yaml", "complexity:\n  gap_divisor: 3\nstep_durations:\n  test: 1 day\n")
        let custom = try fixture.outputFolder("custom")
        let run = try fixture.analyze(into: custom, formats: "md,html,junit,json", ["--policy", policy])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONReport(file: custom + "/migration-plan.json")
        #expect(report.string("policy.source") == policy)
        #expect(report.strings("policy.changes") == ["complexity.gap_divisor: 2 → 3", "step_durations.test: 1-2 hours → 1 day"])
        let test = report.objects("plan.steps").first { $0["title"] as? String == "Test migration" }
        #expect(test?["duration"] as? String == "1 day")
        let validation = try JSONSchemaTests.validate(document: URL(fileURLWithPath: custom + "/migration-plan.json"))
        #expect(validation.status == 0, "\(validation.output)")

        let md = try String(contentsOfFile: custom + "/migration-plan.md", encoding: .utf8)
        #expect(md.contains("This report uses a custom scoring policy from `\(policy)`"), "\(md)")
        let page = try Consumer.html(custom + "/migration-plan.html")
        #expect(page.text.contains("This report uses a custom scoring policy from \(policy):"))
        for change in report.strings("policy.changes") { #expect(page.text.contains(change)) }
        let junit = try Consumer.junit(custom + "/migration-plan.xml")
        junit.expectTrueCounts()
        for suite in junit.suites {
            #expect(suite.properties["policy"] == "custom (\(policy)): " + report.strings("policy.changes").joined(separator: "; "))
        }

        let plain = try fixture.outputFolder("plain")
        let seedRun = try fixture.analyze(into: plain, formats: "md,html,junit,json")
        #expect(seedRun.status == 0, "\(seedRun.stderr)")
        #expect(try JSONReport(file: plain + "/migration-plan.json").value("policy") == nil)
        #expect(!(try String(contentsOfFile: plain + "/migration-plan.md", encoding: .utf8)).contains("custom scoring policy"))
        #expect(!(try Consumer.html(plain + "/migration-plan.html")).text.contains("custom scoring policy"))
        #expect(try Consumer.junit(plain + "/migration-plan.xml").suites.allSatisfy { $0.properties["policy"] == "default" })
    }

    @Test("count_custom_rules through the binary: two missing rules add one to the complexity score")
    func countCustomRules() throws {
        let fixture = try CustomisationFixture()
        let rules = try fixture.setting("rules.yaml", """
            rules:
              - id: missing-a
                when: {any: [{path_exists: "nowhere-a/*"}]}
              - id: missing-b
                when: {any: [{path_exists: "nowhere-b/*"}]}

            """)
        let policy = try fixture.setting("policy.yaml", "complexity: {count_custom_rules: true}\n")
        let byDefault = try fixture.report(["--rules", rules])
        let counted = try fixture.report(["--rules", rules, "--policy", policy])
        let score = try #require(byDefault.int("complexity.complexity_score"))
        #expect(counted.int("complexity.complexity_score") == score + 1, "(gaps + 2) / 2 = gaps / 2 + 1")
        #expect(counted.strings("detection.gaps") == byDefault.strings("detection.gaps"))
        #expect(counted.strings("policy.changes") == ["complexity.count_custom_rules: false → true"])
    }

    // MARK: - 4. Skipped patterns in every format

    @Test("a skipped pattern in JSON, JUnit, Markdown and HTML", arguments: ["--skip-pattern", "skip_patterns"])
    func skippedInEveryFormat(_ how: String) throws {
        let fixture = try CustomisationFixture(spec: false)
        let baselineOut = try fixture.outputFolder("baseline")
        #expect(try fixture.analyze(into: baselineOut, formats: "json,junit").status == 0)
        let baseline = try JSONReport(file: baselineOut + "/migration-plan.json")
        try #require(baseline.strings("detection.gaps").contains("tla-verification"), "the tree has no .tla file")
        let baselineJUnit = try Consumer.junit(baselineOut + "/migration-plan.xml")

        let reason: String
        var extra: [String] = []
        if how == "--skip-pattern" {
            reason = "skipped with --skip-pattern"
            extra = ["--skip-pattern", "tla-verification"]
        } else {
            reason = Self.specReason
            try fixture.projectFile("skip_patterns:\n  - id: tla-verification\n    reason: \(reason)\n")
        }
        let out = try fixture.outputFolder("skipped")
        let run = try fixture.analyze(into: out, formats: "md,html,junit,json", extra)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(out) == allFormatFiles)

        // JSON.
        let report = try JSONReport(file: out + "/migration-plan.json")
        #expect(!report.strings("detection.gaps").contains("tla-verification"))
        #expect(!report.strings("detection.existing_patterns").contains("tla-verification"))
        #expect(report.strings("detection.gaps") == baseline.strings("detection.gaps").filter { $0 != "tla-verification" })
        #expect(report.strings("detection.skipped_patterns") == ["tla-verification"])
        #expect(Self.pattern(report, "tla-verification")?["skipped_reason"] as? String == reason)
        #expect(Self.pattern(report, "tla-verification")?["present"] as? Bool == false)
        let steps = report.objects("plan.steps")
        #expect(steps.count == baseline.objects("plan.steps").count - 1, "one step fewer: the gap's")
        #expect(!steps.contains { $0["pattern"] as? String == "tla-verification" })
        #expect(baseline.objects("plan.steps").contains { $0["pattern"] as? String == "tla-verification" })
        let validation = try JSONSchemaTests.validate(document: URL(fileURLWithPath: out + "/migration-plan.json"))
        #expect(validation.status == 0, "\(validation.output)")

        // JUnit: a <skipped message="reason"/> on that testcase, and the counts agree.
        try Consumer.xmllint(out + "/migration-plan.xml")
        let xml = try String(contentsOfFile: out + "/migration-plan.xml", encoding: .utf8)
        let testcase = try #require(xml.range(of: "<testcase name=\"tla-verification\""))
        let end = try #require(xml.range(of: "</testcase>", range: testcase.upperBound..<xml.endIndex))
        #expect(xml[testcase.lowerBound..<end.upperBound].contains("<skipped message=\"\(reason)\"/>"))
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        junit.expectTrueCounts()
        let patterns = try #require(junit.suite("patterns"))
        #expect(patterns.skipped == 1)
        #expect(junit.skipped == 1)
        let junitCase = try #require(patterns.cases.first { $0.name == "tla-verification" })
        #expect(junitCase.skipped == 1)
        #expect(junitCase.failures.isEmpty)
        #expect(patterns.failures == (baselineJUnit.suite("patterns")?.failures ?? 0) - 1)
        let skipped = try Consumer.python([[String]].self, Self.skippedScript, [out + "/migration-plan.xml"])
        #expect(skipped == [["patterns", "tla-verification", reason]])

        // Markdown: under "Skipped patterns", not under "Missing patterns".
        let md = try String(contentsOfFile: out + "/migration-plan.md", encoding: .utf8)
        let skippedLines = Self.markdownSection(md, "Skipped patterns")
        #expect(skippedLines.count == 1, "\(skippedLines)")
        #expect(skippedLines.first?.contains("(`tla-verification`)") == true)
        #expect(skippedLines.first?.hasSuffix(reason) == true, "\(skippedLines)")
        let missing = Self.markdownSection(md, "Missing patterns")
        #expect(!missing.isEmpty)
        #expect(!missing.joined().contains("tla-verification"))

        // HTML: the pattern's tile has class "skipped", and only it.
        let page = try Consumer.html(out + "/migration-plan.html")
        let tile = try #require(page.tiles.first { $0.id == "tla-verification" })
        #expect(tile.classes.contains("skipped"), "\(tile.classes)")
        #expect(!tile.classes.contains("missing") && !tile.classes.contains("present"))
        #expect(page.tiles.filter { $0.classes.contains("skipped") }.map(\.id) == ["tla-verification"])
        #expect(page.text.contains("Skipped: \(reason)"))
    }

    @Test("skipping a custom rule: JSON skipped_reason, a skipped JUnit testcase, a skipped HTML tile")
    func skippedCustomRule() throws {
        let fixture = try CustomisationFixture()
        let rules = try fixture.setting("rules.yaml", #"""
            rules:
              - id: lock-files
                when: {any: [{file_name: '\.lock$'}]}
              - id: kept
                when: {any: [{path_exists: "nowhere/*"}]}

            """#)
        let out = try fixture.outputFolder("rule")
        let run = try fixture.analyze(into: out, formats: "html,junit,json", ["--rules", rules, "--skip-pattern", "lock-files"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONReport(file: out + "/migration-plan.json")
        #expect(report.strings("detection.skipped_patterns") == ["lock-files"])
        let finding = try #require(report.objects("detection.custom_patterns").first { $0["id"] as? String == "lock-files" })
        #expect(finding["skipped_reason"] as? String == "skipped with --skip-pattern")
        #expect(finding["present"] as? Bool == false)
        let validation = try JSONSchemaTests.validate(document: URL(fileURLWithPath: out + "/migration-plan.json"))
        #expect(validation.status == 0, "\(validation.output)")

        let junit = try Consumer.junit(out + "/migration-plan.xml")
        junit.expectTrueCounts()
        let patterns = try #require(junit.suite("patterns"))
        #expect(patterns.cases.first { $0.name == "lock-files" }?.classname == "coord-migrate.custom-patterns")
        #expect(patterns.cases.first { $0.name == "lock-files" }?.skipped == 1)
        #expect(patterns.cases.first { $0.name == "kept" }?.failures.count == 1, "a missing rule fails its testcase")
        #expect(patterns.skipped == 1)

        let page = try Consumer.html(out + "/migration-plan.html")
        #expect(page.tiles.first { $0.id == "lock-files" }?.classes.contains("skipped") == true)
        #expect(page.tiles.first { $0.id == "kept" }?.classes.contains("missing") == true)
    }

    @Test("skipping an unknown id: exit 2, nothing written", arguments: ["--skip-pattern", "skip_patterns"])
    func unknownSkip(_ how: String) throws {
        let fixture = try CustomisationFixture()
        var extra: [String] = []
        if how == "--skip-pattern" {
            extra = ["--skip-pattern", "no-such-pattern"]
        } else {
            try fixture.projectFile("skip_patterns:\n  - id: no-such-pattern\n    reason: typo\n")
        }
        let out = try fixture.outputFolder("unknown")
        let run = try fixture.analyze(into: out, formats: "md,html,junit,json", extra)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("cannot skip 'no-such-pattern'"), "\(run.stderr)")
        #expect(try listing(out).isEmpty)
    }

    // Skip ids and formats are checked only after loading (a skipped id may name a
    // rule from --rules), yet a mistake in the project file still names its line.

    static let unknownSkipMessage =
        "cannot skip 'no-such-pattern': not a pattern or rule id (patterns: \(PatternID.allCases.map(\.rawValue).joined(separator: ", ")))"
    /// The binary knows the built-in formats only; formats other tests register in this process are not its.
    static let unknownFormatMessage = "unknown format 'pdf'; choose from \(EmitterRegistry.namesList(of: EmitterRegistry.builtIn))"

    /// Exit 2, nothing on stdout, exactly `coord-migrate: error: <expected>` on stderr, no report written.
    static func expectRefused(_ run: CLIResult, _ expected: String, out: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(run.status == 2, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderrLines.map(String.init) == ["coord-migrate: error: \(expected)"], "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(try listing(out).isEmpty, "nothing written", sourceLocation: sourceLocation)
    }

    @Test("an unknown skip_patterns id in .coord-migrate.yaml: exit 2, path:line of the id, nothing written")
    func unknownSkipInProjectFileNamesItsLine() throws {
        let fixture = try CustomisationFixture()
        // lock-files is a rule from --rules, known only once that file is read; the
        // second entry puts its id below its dash, so the line is the id's own.
        let rules = try fixture.setting("rules.yaml", #"""
            rules:
              - id: lock-files
                when: {any: [{file_name: '\.lock$'}]}
            """#)
        try fixture.projectFile("""
            # Team settings
            exclude: [vendor]
            skip_patterns:
              - id: lock-files
                reason: Our locks are fine.
              - reason: A typo.
                id: no-such-pattern

            """)
        let out = try fixture.outputFolder("unknown-skip")
        let run = try fixture.analyze(into: out, formats: "md,html,junit,json", ["--rules", rules])
        try Self.expectRefused(run, "\(fixture.projectFilePath):7: \(Self.unknownSkipMessage)", out: out)
    }

    @Test("an unknown formats item in .coord-migrate.yaml: exit 2, path:line of the item, nothing written")
    func unknownFormatInProjectFileNamesItsLine() throws {
        let fixture = try CustomisationFixture()
        try fixture.projectFile("""
            exclude: [vendor]
            formats:
              - json
              - "html, pdf"
              - junit

            """)
        let out = try fixture.outputFolder("unknown-format")
        let run = try fixture.analyze(into: out)
        try Self.expectRefused(run, "\(fixture.projectFilePath):4: \(Self.unknownFormatMessage)", out: out)
    }

    @Test("an unknown --format or --skip-pattern: the message has no path:line, even when the file holds the same value",
          arguments: ["--format", "--skip-pattern"])
    func unknownValueFromFlagHasNoLocation(_ flag: String) throws {
        let fixture = try CustomisationFixture()
        // The flag replaces the file's setting, so the file's (equally wrong) value is
        // never checked and must not lend its line to the flag's error.
        let out = try fixture.outputFolder("flag")
        let run: CLIResult
        if flag == "--format" {
            try fixture.projectFile("exclude: [vendor]\nformats: [pdf]\n")
            run = try fixture.analyze(into: out, ["--format", "pdf"])
            try Self.expectRefused(run, Self.unknownFormatMessage, out: out)
        } else {
            try fixture.projectFile("formats: [md, json]\nskip_patterns:\n  - id: no-such-pattern\n    reason: typo\n")
            run = try fixture.analyze(into: out, ["--skip-pattern", "no-such-pattern"])
            try Self.expectRefused(run, Self.unknownSkipMessage, out: out)
        }
    }

    // MARK: - 5. Bad settings files

    enum Target: String, Sendable {
        /// `--rules FILE`
        case rules
        /// `--policy FILE`
        case policy
        /// `.coord-migrate.yaml` at the analysed root, read without a flag.
        case root
        /// `--config FILE`
        case config
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        var name: String
        var target: Target
        var text: String
        /// The error's line is the first line containing this.
        var marker: String
        /// What was expected, as the message says it.
        var message: String
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        .init(name: "unknown key in a rules file", target: .rules, text: #"""
            # House rules
            rules:
              - id: lock-files
                title: Lock files
                colour: blue
                when: {any: [{file_name: '\.lock$'}]}
            """#, marker: "colour", message: "unknown key 'colour' in a rule; expected one of id, title, description, remediation, doc, when"),
        .init(name: "unknown key in a policy", target: .policy, text: """
            hours:
              base: {simple: 6}
            risks:
              gaps: 2
            """, marker: "risks", message: "unknown key 'risks' in the policy (did you mean 'risk'?); expected one of complexity, hours, risk, scale, timeline, step_durations"),
        .init(name: "unknown key in .coord-migrate.yaml", target: .root, text: """
            formats: [md]
            exclude: [vendor]
            fail_if: ["gaps>0"]
            """, marker: "fail_if", message: "unknown key 'fail_if' in the project file (did you mean 'fail_on'?); expected one of rules, policy, exclude, skip_patterns, fail_on, formats"),
        .init(name: "a wrong type: hours: {base: {simple: lots}}", target: .policy, text: """
            # Our numbers
            hours: {base: {simple: lots}}
            """, marker: "lots", message: "hours.base.simple must be a whole number of at least 0"),
        .init(name: "an invalid file_name regex", target: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - file_name: "[unclosed"
            """, marker: "[unclosed", message: "file_name is not a valid regular expression: [unclosed"),
        .init(name: "an invalid content regex", target: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - content: {glob: "scripts/*.sh", regex: "(a"}
            """, marker: "content", message: "content.regex is not a valid regular expression: (a"),
        .init(name: "a rule without when", target: .rules, text: """
            rules:
              - id: lock-files
                title: Lock files
            """, marker: "id: lock-files", message: "rule 'lock-files' needs a 'when' with 'any' or 'all'"),
        .init(name: "when with both any and all", target: .rules, text: """
            rules:
              - id: lock-files
                when:
                  any:
                    - file_name: a
                  all:
                    - file_name: b
            """, marker: "any:", message: "'when' takes exactly one of 'any' or 'all'"),
        .init(name: "a duplicated rule id", target: .rules, text: """
            rules:
              - id: lock-files
                when: {any: [{file_name: a}]}
              - id: other
                when: {any: [{file_name: b}]}
              - id: lock-files
                when: {any: [{file_name: c}]}
            """, marker: "- id: lock-files\n    when: {any: [{file_name: c", message: "rule id 'lock-files' is used twice"),
        .init(name: "a rule id equal to a built-in pattern id", target: .rules, text: """
            rules:
              - id: lock-files
                when: {any: [{file_name: a}]}
              - id: event-sourcing
                when: {any: [{file_name: b}]}
            """, marker: "event-sourcing", message: "rule id 'event-sourcing'"),
        .init(name: "malformed YAML in a rules file", target: .rules, text: """
            rules:
              - id: lock-files
                title: Lock: files
                when: {any: [{file_name: a}]}
            """, marker: "Lock: files", message: "malformed YAML"),
        .init(name: "malformed YAML in .coord-migrate.yaml", target: .root, text: """
            formats: [md]
            exclude: vendor: x
            """, marker: "exclude", message: "malformed YAML"),
        .init(name: "a malformed fail_on condition in the project file", target: .config, text: """
            formats: [json]
            fail_on:
              - "gaps>0"
              - "risk>=extreme"
            """, marker: "extreme", message: "risk>=extreme"),
        .init(name: "decreasing complexity thresholds", target: .policy, text: """
            complexity:
              gap_divisor: 2
              thresholds: {simple: 5, moderate: 3}
            """, marker: "thresholds", message: "complexity.thresholds must not decrease from simple to complex"),
        .init(name: "decreasing risk thresholds", target: .policy, text: """
            risk:
              thresholds:
                low: 4
                medium: 2
            """, marker: "low", message: "risk.thresholds.low must not be above risk.thresholds.medium"),
        .init(name: "decreasing timeline hours", target: .policy, text: """
            timeline:
              day_hours: 50
            """, marker: "day_hours", message: "timeline hours must grow from day to week to month"),
        .init(name: "a wrong type in the project file's policy", target: .root, text: """
            formats: [md]
            policy:
              complexity:
                gap_divisor: half
            """, marker: "half", message: "gap_divisor must be a whole number of at least 1"),
        .init(name: "a duplicated rule id in the project file", target: .config, text: """
            rules:
              - id: lock-files
                when: {any: [{file_name: a}]}
              - id: lock-files
                when: {any: [{file_name: b}]}
            """, marker: "- id: lock-files\n    when: {any: [{file_name: b", message: "rule id 'lock-files' is used twice"),
    ]

    /// The 1-based line of the first occurrence of `marker` in `text`.
    static func line(of marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    @Test("a bad settings file: exit 2, one error line starting with path:line:, nothing written",
          arguments: CustomisationEndToEndTests.badFiles)
    func badSettingsFile(_ row: BadFile) throws {
        let fixture = try CustomisationFixture()
        let path: String
        var extra: [String] = []
        switch row.target {
        case .rules:
            path = try fixture.setting("rules.yaml", row.text)
            extra = ["--rules", path]
        case .policy:
            path = try fixture.setting("policy.yaml", row.text)
            extra = ["--policy", path]
        case .root:
            try fixture.projectFile(row.text)
            path = fixture.projectFilePath
        case .config:
            path = try fixture.setting("team.yaml", row.text)
            extra = ["--config", path]
        }
        // A marker may span lines: the error points at its first line.
        let expectedLine = try #require(Self.line(of: row.marker, in: row.text), "marker not in the text")
        let out = try fixture.outputFolder("bad")
        let run = try fixture.analyze(into: out, formats: "md,html,junit,json", extra)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1, "one line: \(run.stderr)")
        let prefix = "coord-migrate: error: \(path):\(expectedLine): "
        let error = String(run.stderrLines.first ?? "")
        #expect(error.hasPrefix(prefix), "expected \(prefix)…, got \(error)")
        #expect(error.contains(row.message), "\(error)")
        #expect(try listing(out).isEmpty, "nothing written")
    }
}
