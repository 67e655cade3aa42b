import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

// `--fail-on` gates and `diff`, end to end. Expected outcomes are computed from
// the values of the JSON report of the same tree, never guessed.

/// The orderings of the grammar, spelled out here rather than taken from the product.
let riskOrder = ["low", "medium", "high"]
let complexityOrder = ["simple", "moderate", "complex", "very_complex"]

/// A `--fail-on` condition and whether it holds for a given report.
struct GateCase: CustomStringConvertible {
    var condition: String
    var holds: Bool
    var description: String { "\(condition) → \(holds ? "fails" : "passes")" }
}

/// Every kind of condition, at thresholds around the report's own values.
func gateCases(for report: JSONReport) throws -> [GateCase] {
    let risk = try #require(riskOrder.firstIndex(of: report.string("complexity.risk_level") ?? ""))
    let complexity = try #require(complexityOrder.firstIndex(of: report.string("complexity.complexity_level") ?? ""))
    let gaps = report.strings("detection.gaps")
    let hours = try #require(report.int("complexity.estimated_hours"))
    var cases: [GateCase] = []
    for (index, level) in riskOrder.enumerated() { cases.append(GateCase(condition: "risk>=\(level)", holds: risk >= index)) }
    for (index, level) in complexityOrder.enumerated() {
        cases.append(GateCase(condition: "complexity>=\(level)", holds: complexity >= index))
    }
    for n in Set([0, max(0, gaps.count - 1), gaps.count, gaps.count + 1]).sorted() {
        cases.append(GateCase(condition: "gaps>\(n)", holds: gaps.count > n))
    }
    for n in Set([0, max(0, hours - 1), hours, hours + 1, 1000]).sorted() {
        cases.append(GateCase(condition: "hours>\(n)", holds: hours > n))
    }
    for pattern in PatternID.allCases {
        cases.append(GateCase(condition: "missing:\(pattern.rawValue)", holds: gaps.contains(pattern.rawValue)))
    }
    return cases
}

/// The JSON report of a tree, with no gates.
func plainReport(_ path: String) throws -> JSONReport {
    let run = try CLI.run(["--path", path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    return try JSONReport(data: run.stdout)
}

@Suite("--fail-on gates and diff")
struct GateAndDiffTests {
    // MARK: Gates

    @Test("agent-bridge is low risk, simple, 2 gaps, 6 hours (the values the gate expectations start from)")
    func agentBridgeValues() throws {
        let report = try plainReport(sampleURL("agent-bridge").path)
        #expect(report.string("complexity.risk_level") == "low")
        #expect(report.string("complexity.complexity_level") == "simple")
        #expect(report.strings("detection.gaps").count == 2)
        #expect(report.int("complexity.estimated_hours") == 6)
        #expect(report.gates.isEmpty)
    }

    @Test("each condition alone: exit 1 exactly when it holds, 0 otherwise; the JSON records it", arguments: allSampleNames)
    func eachCondition(_ sample: String) throws {
        let path = sampleURL(sample).path
        let cases = try gateCases(for: try plainReport(path))
        #expect(cases.contains { $0.holds } && cases.contains { !$0.holds }, "both outcomes are exercised")
        for gate in cases {
            let run = try CLI.run(["--path", path, "--fail-on", gate.condition, "--format", "json", "--output", "-",
                                   "--now", fixedNowText, "--quiet"])
            #expect(run.status == (gate.holds ? 1 : 0), "\(sample): \(gate) \(run.stderr)")
            let report = try JSONReport(data: run.stdout)
            #expect(report.gates.map { $0.condition } == [gate.condition], "\(sample): \(gate)")
            #expect(report.gates.map { $0.failed } == [gate.holds], "\(sample): \(gate)")
            if gate.holds {
                #expect(run.stderr.contains(gate.condition), "the failed gate is named on stderr: \(run.stderr)")
            }
        }
    }

    @Test("all conditions at once: every report is written, and the JUnit gates suite has one testcase per condition",
          arguments: allSampleNames)
    func allConditionsTogether(_ sample: String) throws {
        let path = sampleURL(sample).path
        let cases = try gateCases(for: try plainReport(path))
        let scratch = try Scratch("gates")

        for (label, selection) in [("all", cases), ("passing only", cases.filter { !$0.holds })] {
            let out = try scratch.dir("out-\(label)")
            // Stale reports from an earlier run are replaced even when a gate fails.
            for file in allFormatFiles { _ = try scratch.file("out-\(label)/\(file)", "stale\n") }
            let run = try analyzeInto(out, path: path, extra: selection.flatMap { ["--fail-on", $0.condition] })
            let anyFails = selection.contains { $0.holds }
            #expect(run.status == (anyFails ? 1 : 0), "\(sample) \(label): \(run.stderr)")
            #expect(try listing(out) == allFormatFiles)
            for file in allFormatFiles {
                #expect(try fileData(out + "/" + file) != Data("stale\n".utf8), "\(file) was written")
            }
            let report = try JSONReport(file: out + "/migration-plan.json")
            let expected = selection.map { (condition: $0.condition, failed: $0.holds) }
            #expect(report.gates.map { $0.condition } == expected.map { $0.condition })
            #expect(report.gates.map { $0.failed } == expected.map { $0.failed })
            try Consumer.xmllint(out + "/migration-plan.xml")
            let junit = try Consumer.junit(out + "/migration-plan.xml")
            expectJUnitMatchesReport(junit, report, gates: expected)
            #expect(junit.suite("gates")?.cases.allSatisfy { $0.classname == "coord-migrate.gates" } == true)
            #expect(try Consumer.html(out + "/migration-plan.html").h1 == 1)
        }
    }

    @Test("conditions are canonicalised: the JUnit testcase is named by the canonical spelling")
    func canonicalNames() throws {
        let scratch = try Scratch("canonical")
        let out = try scratch.dir("out")
        let path = sampleURL("agent-bridge").path
        let spelled = ["Risk >= Medium", "complexity>=very-complex", " gaps > 100 ", "HOURS>1000", "missing: TLA-Verification"]
        let canonical = ["risk>=medium", "complexity>=very_complex", "gaps>100", "hours>1000", "missing:tla-verification"]
        let report = try plainReport(path)
        #expect(report.string("complexity.risk_level") == "low" && !report.strings("detection.gaps").contains("tla-verification"),
                "agent-bridge passes all five")
        let run = try analyzeInto(out, path: path, formats: "junit,json", extra: spelled.flatMap { ["--fail-on", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        #expect(junit.suite("gates")?.caseNames == canonical)
        #expect(junit.suite("gates")?.failingNames == [])
        #expect(try JSONReport(file: out + "/migration-plan.json").gates.map { $0.condition } == canonical)
    }

    @Test("malformed conditions: exit 2, one line that teaches the grammar, nothing written",
          arguments: ["risk>=extreme", "gaps>=x", "missing:nope", "foo", "complexity>=huge", "hours>-1", "gaps>", "risk>low", ""])
    func malformedCondition(_ condition: String) throws {
        let scratch = try Scratch("malformed")
        let out = try scratch.dir("out")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--fail-on", condition, "--format", "md,html,junit,json",
                               "--output-dir", out, "--now", fixedNowText], in: URL(fileURLWithPath: out))
        #expect(run.status == 2, "'\(condition)'")
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        for part in ["missing:<pattern-id>", "risk>=low|medium|high", "complexity>=simple|moderate|complex|very_complex", "gaps>N", "hours>N"] {
            #expect(run.stderr.contains(part), "'\(condition)': \(run.stderr)")
        }
        #expect(run.stderr.contains("'\(condition)'"), "the bad condition is quoted: \(run.stderr)")
        #expect(try listing(out).isEmpty)
    }

    // MARK: diff

    /// OLD and NEW reports of agent-bridge, NEW with the priority and defer lanes added.
    struct LanesPair {
        let scratch: Scratch
        let old: String
        let new: String

        init() throws {
            scratch = try Scratch("diff")
            let before = try copySample("agent-bridge", into: scratch, as: "before")
            let after = try copySample("agent-bridge", into: scratch, as: "after")
            _ = try scratch.dir("after/inbox/defer")
            _ = try scratch.dir("after/inbox/priority")
            old = scratch.absolute("old.json")
            new = scratch.absolute("new.json")
            for (tree, report) in [(before, old), (after, new)] {
                let run = try CLI.run(["--path", tree, "--format", "json", "--output", report, "--now", fixedNowText, "--quiet"])
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
    }

    @Test("diff OLD NEW after adding priority and defer lanes: both patterns gained, no regression")
    func diffGained() throws {
        let pair = try LanesPair()
        let oldReport = try JSONReport(file: pair.old), newReport = try JSONReport(file: pair.new)
        let gained = Set(newReport.strings("detection.existing_patterns")).subtracting(oldReport.strings("detection.existing_patterns"))
        #expect(gained == ["priority-queue", "defer-queue"], "the trees differ as intended")

        let markdown = try CLI.run(["diff", pair.old, pair.new])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        let gainedLine = markdown.stdoutText.split(separator: "\n").first { $0.hasPrefix("- Gained:") } ?? ""
        #expect(gainedLine.contains("priority-queue") && gainedLine.contains("defer-queue"), "\(markdown.stdoutText)")
        #expect(markdown.stdoutText.contains("- Lost: none"))

        let json = try CLI.run(["diff", pair.old, pair.new, "--format", "json"])
        #expect(json.status == 0)
        let diff = try JSONReport(data: json.stdout)
        #expect(Set(diff.strings("patterns_gained")) == ["priority-queue", "defer-queue"])
        #expect(diff.strings("patterns_gained").count == 2)
        #expect(diff.strings("patterns_lost").isEmpty)
        #expect(diff.strings("regressions").isEmpty)

        let gate = try CLI.run(["diff", pair.old, pair.new, "--fail-on-regression"])
        #expect(gate.status == 0, "\(gate.stderr)")
        #expect(gate.stdout == markdown.stdout)

        let junitFile = pair.scratch.absolute("progress.xml")
        let junit = try CLI.run(["diff", pair.old, pair.new, "--format", "junit", "--output", junitFile, "--fail-on-regression"])
        #expect(junit.status == 0)
        try Consumer.xmllint(junitFile)
        let document = try Consumer.junit(junitFile)
        document.expectTrueCounts()
        #expect(document.failures == 0)
    }

    @Test("diff NEW OLD: both patterns lost; --fail-on-regression exits 1; the JUnit shows the failures")
    func diffLost() throws {
        let pair = try LanesPair()
        let json = try CLI.run(["diff", pair.new, pair.old, "--format", "json"])
        #expect(json.status == 0, "without --fail-on-regression a regression is only reported")
        let diff = try JSONReport(data: json.stdout)
        #expect(Set(diff.strings("patterns_lost")) == ["priority-queue", "defer-queue"])
        #expect(diff.strings("patterns_lost").count == 2)
        #expect(diff.strings("patterns_gained").isEmpty)
        #expect(!diff.strings("regressions").isEmpty)

        let gate = try CLI.run(["diff", pair.new, pair.old, "--fail-on-regression"])
        #expect(gate.status == 1)
        #expect(gate.stderr.contains("priority-queue") && gate.stderr.contains("defer-queue"), "\(gate.stderr)")

        let junitFile = pair.scratch.absolute("regress.xml")
        let junit = try CLI.run(["diff", pair.new, pair.old, "--format", "junit", "--output", junitFile, "--fail-on-regression"])
        #expect(junit.status == 1)
        try Consumer.xmllint(junitFile)
        let document = try Consumer.junit(junitFile)
        document.expectTrueCounts()
        #expect((document.failures ?? 0) > 0)
        for testcase in document.suites.flatMap(\.cases) { #expect(!(testcase.classname ?? "").isEmpty) }
        let lost = document.suites.flatMap(\.cases).filter { !$0.failures.isEmpty }.flatMap(\.failures).compactMap(\.text).joined()
        #expect(lost.contains("priority-queue") && lost.contains("defer-queue"), "\(lost)")
    }

    @Test("diff refuses a report of an unknown schema_version or malformed JSON: exit 2, nothing on stdout")
    func diffBadInput() throws {
        let pair = try LanesPair()
        var root = try #require(try JSONSerialization.jsonObject(with: try fileData(pair.old)) as? [String: Any])
        root["schema_version"] = "99"
        let future = pair.scratch.absolute("future.json")
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: future))
        let broken = try pair.scratch.file("broken.json", "{\"schema_version\": \"1\",")
        for (arguments, word) in [
            ([pair.old, future], "99"), ([future, pair.new], "99"),
            ([pair.old, broken], "JSON"), ([broken, pair.new], "JSON"),
            ([pair.old, pair.scratch.absolute("missing.json")], "missing.json"),
        ] {
            for format in ["md", "json", "junit"] {
                let output = pair.scratch.absolute("out.\(format)")
                let run = try CLI.run(["diff"] + arguments + ["--format", format, "--output", output, "--fail-on-regression"])
                #expect(run.status == 2, "\(arguments) \(format)")
                #expect(run.stdout.isEmpty)
                #expect(run.stderrLines.count == 1 && run.stderr.contains(word), "\(arguments): \(run.stderr)")
                #expect(!FileManager.default.fileExists(atPath: output))
            }
        }
    }

    struct EventLogCase: Sendable, CustomTestStringConvertible {
        var sample: String
        /// True: the sample has events.log and "before" removes it; false: "after" adds one.
        var removeFromBefore: Bool
        /// Removed from both copies: other evidence of an event log (scripts that append to one).
        var strip: [String] = []
        var testDescription: String { sample + (strip.isEmpty ? "" : " without \(strip.joined(separator: ", "))") }
    }

    @Test("adding an event log: event-sourcing gained, complexity and hours not worse",
          arguments: [
            EventLogCase(sample: "agent-bridge", removeFromBefore: true, strip: ["scripts"]),
            EventLogCase(sample: "my-scripts", removeFromBefore: false),
          ])
    func diffEventLog(_ row: EventLogCase) throws {
        let scratch = try Scratch("eventlog")
        let before = try copySample(row.sample, into: scratch, as: "before")
        let after = try copySample(row.sample, into: scratch, as: "after")
        for item in row.strip {
            try FileManager.default.removeItem(atPath: before + "/" + item)
            try FileManager.default.removeItem(atPath: after + "/" + item)
        }
        if row.removeFromBefore {
            try FileManager.default.removeItem(atPath: before + "/events.log")
        } else {
            _ = try scratch.file("after/events.log", "{\"event\":\"started\"}\n")
        }
        let old = scratch.absolute("old.json"), new = scratch.absolute("new.json")
        for (tree, report) in [(before, old), (after, new)] {
            let run = try CLI.run(["--path", tree, "--format", "json", "--output", report, "--now", fixedNowText, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let oldReport = try JSONReport(file: old), newReport = try JSONReport(file: new)
        #expect(oldReport.bool("detection.has_event_log") == false)
        #expect(newReport.bool("detection.has_event_log") == true)

        let run = try CLI.run(["diff", old, new, "--format", "json", "--fail-on-regression"])
        #expect(run.status == 0, "\(run.stderr)")
        let diff = try JSONReport(data: run.stdout)
        #expect(diff.strings("patterns_gained") == ["event-sourcing"])
        #expect(diff.strings("patterns_lost").isEmpty)
        let changes = Dictionary(uniqueKeysWithValues: diff.objects("changes").compactMap { change in
            (change["field"] as? String).map { ($0, change) }
        })
        for field in ["complexity", "hours"] {
            #expect((changes[field]?["regressed"] as? NSNumber)?.boolValue == false, "\(field): \(String(describing: changes[field]))")
        }
        let oldLevel = complexityOrder.firstIndex(of: oldReport.string("complexity.complexity_level") ?? "") ?? -1
        let newLevel = complexityOrder.firstIndex(of: newReport.string("complexity.complexity_level") ?? "") ?? 99
        #expect(newLevel <= oldLevel)
        #expect((newReport.int("complexity.estimated_hours") ?? .max) <= (oldReport.int("complexity.estimated_hours") ?? -1))
        #expect(changes["complexity"]?["new"] as? String == newReport.string("complexity.complexity_level"))
        #expect(changes["hours"]?["new"] as? Int == newReport.int("complexity.estimated_hours"))
    }
}
