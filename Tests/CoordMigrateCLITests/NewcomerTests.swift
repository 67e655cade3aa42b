import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// What a new user meets on a small hand-made system and on the samples: a plan that
/// agrees with itself and fits the system, and a terminal that says what it looked at.
@Suite("A newcomer's first hour")
struct NewcomerTests {
    /// Two agents, a send script, an event log and a configuration, as a user makes them.
    static func handMade(_ scratch: Scratch) throws -> String {
        let root = try scratch.dir("system")
        _ = try scratch.dir("system/inbox/alice")
        _ = try scratch.dir("system/inbox/bob")
        _ = try scratch.file("system/inbox/bob/hello.msg", "from: alice\n\nhello\n")
        _ = try scratch.file("system/send.sh", "#!/bin/sh\nto=$1; shift\nprintf '%s\\n' \"$*\" > \"inbox/$to/$(date +%s).msg\"\necho sent >> events.log\n")
        _ = try scratch.file("system/events.log", "sent\n")
        _ = try scratch.file("system/config.yaml", "agents:\n  alice: {role: planner}\n  bob: {role: builder}\n")
        return root
    }

    // MARK: Item 11: the plan's hours as numbers

    @Test("every step carries duration_hours, the plan their sum, and the headline stays the seed's arithmetic")
    func stepHours() throws {
        let report = try CLI.report(sampleURL("agent-bridge").path)
        #expect(report.complexity.estimatedHours == 6, "the seed's arithmetic stays in the score")
        let byTitle = Dictionary(report.plan.steps.map { ($0.title, $0.durationHours) }, uniquingKeysWith: { a, _ in a })
        #expect(byTitle["Backup existing system"] == HoursRange(low: 0.5, high: 0.5))
        #expect(byTitle["Install coordination system"] == HoursRange(low: 0.17, high: 0.17))
        #expect(byTitle["Migrate existing messages"] == HoursRange(low: 2, high: 4))
        #expect(report.plan.stepHoursTotal == HoursRange(low: 8.67, high: 15.67))
    }

    @Test("one effort, the steps added up, in every format a person reads; the seed's hours only in the score and for machines")
    func oneEffortInEveryFormat() throws {
        let scratch = try Scratch("hours")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL("agent-bridge").path, formats: "md,html,junit,json,sarif,github")
        #expect(run.status == 0, "\(run.stderr)")
        let markdown = try String(contentsOfFile: out + "/migration-plan.md", encoding: .utf8)
        #expect(markdown.contains("**Estimated effort:** 8.67–15.67 hours, about 2 working days: \(EffortWording.headline)"))
        #expect(markdown.contains("**Effort:** 8.67–15.67 hours, about 2 working days"), "the timeline says the same")
        #expect(!markdown.contains("Steps added up") && !markdown.contains("6 hours, about 1 day"), "no second effort")
        #expect(markdown.contains("### Seed formula hours: 6 hours"), "the seed's hours stay in the score breakdown, named so")
        let page = try Consumer.html(out + "/migration-plan.html")
        #expect(page.text.contains("8.67–15.67 h"), "the HTML summary card")
        #expect(page.text.contains(EffortWording.headline) && !page.text.contains("Steps added up"))
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        let properties = junit.suites.first?.properties ?? [:]
        #expect(properties["estimated_hours"] == "6")
        #expect(properties["step_hours_low"] == "8.67" && properties["step_hours_high"] == "15.67", "\(properties)")
        #expect(properties["effort_estimate"] == "2 working days", "\(properties)")
        let sarif = try JSONSerialization.jsonObject(with: fileData(out + "/migration-plan.sarif")) as? [String: Any]
        let runProperties = ((sarif?["runs"] as? [[String: Any]])?.first?["properties"] as? [String: Any]) ?? [:]
        let total = runProperties["step_hours_total"] as? [String: Double]
        #expect(total == ["low": 8.67, "high": 15.67], "\(runProperties)")
        let github = try String(contentsOfFile: out + "/migration-plan.github", encoding: .utf8)
        #expect(github.contains("effort 8.67–15.67 hours (about 2 working days)"))
        #expect(!github.contains("6 hours"))
        let json = try JSONSerialization.jsonObject(with: fileData(out + "/migration-plan.json")) as? [String: Any]
        let timeline = (json?["plan"] as? [String: Any])?["timeline"] as? [String: Any]
        #expect(timeline?["effort"] as? [String: Double] == ["low": 8.67, "high": 15.67])
        let phases = (timeline?["phases"] as? [[String: Any]]) ?? []
        let lows = phases.compactMap { ($0["range"] as? [String: Double])?["low"] }.reduce(0, +)
        #expect(abs(lows - 8.67) < 0.02, "the phases add up to the effort: \(phases)")
    }

    @Test("a report written before the step hours existed still renders, its numbers read from the durations")
    func olderReportDecodes() throws {
        let report = try CLI.report(sampleURL("agent-bridge").path)
        var json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        var plan = try #require(json["plan"] as? [String: Any])
        plan["step_hours_total"] = nil
        plan["steps"] = (plan["steps"] as? [[String: Any]])?.map { step in
            var step = step
            step["duration_hours"] = nil
            return step
        }
        json["plan"] = plan
        let old = try JSONSerialization.data(withJSONObject: json)
        let decoded = try MigrationReport.decode(old)
        #expect(decoded.plan.stepHoursTotal == report.plan.stepHoursTotal)
        #expect(decoded.plan.steps.map(\.durationHours) == report.plan.steps.map(\.durationHours))
    }

    @Test("a step duration the plan cannot read as hours is refused with its line")
    func unreadableDuration() throws {
        let scratch = try Scratch("duration")
        let policy = try scratch.file("policy.yaml", "step_durations:\n  test: a while\n")
        let run = try CLI.run([sampleURL("agent-bridge").path, "--policy", policy, "-o", "-", "-q"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(policy):2: step_durations.test must be a duration"), "\(run.stderr)")
        let days = try scratch.file("days.yaml", "step_durations:\n  test: 1 day\ntimeline: {day_hours: 6}\n")
        let report = try CLI.report(sampleURL("agent-bridge").path, extra: ["--policy", days])
        #expect(report.plan.steps.first { $0.title == "Test migration" }?.durationHours == HoursRange(low: 6, high: 6),
                "a day is the policy's working day")
    }

    // MARK: Item 12: words that cannot contradict each other

    @Test("a file-based system: no database conversion, and the step that moves its files is named; the strategy's timeline is the computed one")
    func consistentWording() throws {
        let report = try CLI.report(sampleURL("agent-bridge").path)
        let step = try #require(report.plan.steps.first { $0.phase == .data })
        #expect(report.dataMigrationSummary == "no database → files conversion; step \(step.number) moves the existing message files")
        #expect(report.plan.recommendedStrategy.timeline.contains(report.plan.timeline.effortEstimate))
        #expect(!report.plan.recommendedStrategy.timeline.contains("weeks"), "\(report.plan.recommendedStrategy.timeline)")
        let markdown = try CLI.run([sampleURL("agent-bridge").path, "-o", "-", "-q", "--now", fixedNowText]).stdoutText
        #expect(!markdown.contains("not needed"))
        #expect(markdown.contains("**Timeline:** about 2 working days"))
    }

    // MARK: Item 13: commands that fit the system

    @Test("the testing strategy runs the system's own send script with its agents, and names message.sh only where it exists")
    func ownCommands() throws {
        let scratch = try Scratch("own")
        let root = try Self.handMade(scratch)
        let report = try CLI.report(root)
        let testing = report.plan.testingStrategy
        #expect(testing.unit.commands.first == "./send.sh alice \"Test\"", "\(testing.unit.commands)")
        #expect(testing.unit.commands.contains("ls inbox/alice/"))
        #expect(testing.unit.commands.contains("tail -n 20 events.log"), "the system's own event log, where it is")
        #expect(testing.integration.commands.contains("./send.sh bob \"Reply\""))
        let everything = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(!everything.contains("message.sh"), "the seed's script does not exist here")
        #expect(!everything.contains("universal-patterns.md"))

        // agent-bridge has scripts/message.sh: the seed's forms, at its real path.
        let bridge = try CLI.report(sampleURL("agent-bridge").path)
        #expect(bridge.plan.testingStrategy.unit.commands.first == "./scripts/message.sh send code chat \"Test\" \"Body\"")
    }

    @Test("hostile agent names are shell-quoted in the testing commands")
    func hostileAgentNames() throws {
        let scratch = try Scratch("hostile-agents")
        let root = try Self.handMade(scratch)
        _ = try scratch.dir("system/inbox/$(touch pwned); a")
        let report = try CLI.report(root)
        let first = try #require(report.plan.testingStrategy.unit.commands.first)
        #expect(first == "./send.sh '$(touch pwned); a' \"Test\"", "\(first)")
    }

    @Test("pattern steps point at coord-migrate patterns --explain and a section of docs/patterns.md that exists")
    func patternDocs() throws {
        let docs = try String(contentsOf: packageRoot.appendingPathComponent("docs/patterns.md"), encoding: .utf8)
        let scratch = try Scratch("docs")
        let report = try CLI.report(try scratch.dir("empty"))
        for step in report.plan.steps where step.pattern != nil {
            let id = try #require(step.pattern).rawValue
            #expect(step.documentation == "docs/patterns.md#\(id)")
            #expect(step.commands.first?.hasPrefix("coord-migrate patterns --explain \(id) --path ") == true)
            // A GitHub anchor #<id> is a "## <id>" heading; the section states the tool's rule.
            let parts = docs.components(separatedBy: "\n## \(id)\n")
            try #require(parts.count == 2, "docs/patterns.md has no section \(id)")
            let section = parts[1].components(separatedBy: "\n## ")[0]
            #expect(section.contains("**Rule:** \(PatternDefinition.of(try #require(step.pattern)).rule)\n"), "\(id): rule differs from the code's")
            for heading in ["**What it is.**", "**How it is detected.**", "**What the plan does.**"] {
                #expect(section.contains(heading), "\(id) lacks \(heading)")
            }
        }
    }

    // MARK: Item 14: a step's own output makes its pattern present; lanes are not agents

    @Test("running the TLA+ step's commands makes the pattern present on the next run; an empty .tla does not")
    func tlaStepCounts() throws {
        let scratch = try Scratch("tla")
        let root = try Self.handMade(scratch)
        _ = try scratch.file("system/specs/Empty.tla", "")
        let before = try CLI.report(root)
        #expect(before.detection.gaps.contains(.tlaVerification), "an empty .tla file is no specification")
        let step = try #require(before.plan.steps.first { $0.pattern == .tlaVerification })
        let script = (["set -e", "cd \(ShellQuoting.quote(root))"] + step.commands.dropFirst()).joined(separator: "\n")
        let shell = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: ["PATH": "/usr/bin:/bin"])
        #expect(shell.status == 0, "\(shell.stderr)")
        let after = try CLI.report(root)
        #expect(after.detection.existingPatterns.contains(.tlaVerification))
    }

    @Test("lane folders under inbox/ are not agents")
    func lanesAreNotAgents() throws {
        let scratch = try Scratch("lanes")
        let root = try Self.handMade(scratch)
        for lane in ["priority", "defer", "archive"] { _ = try scratch.dir("system/inbox/\(lane)") }
        let report = try CLI.report(root)
        #expect(report.detection.estimatedAgents == 2)
        #expect(report.detection.existingPatterns.contains(.priorityQueue) && report.detection.existingPatterns.contains(.deferQueue))
    }

    @Test("success criteria leave skipped patterns out")
    func successCriteriaSkips() throws {
        let report = try CLI.report(sampleURL("agent-bridge").path, extra: ["--skip-pattern", "defer-queue"])
        #expect(!report.plan.successCriteria.contains("All 8 universal patterns implemented"))
        #expect(report.plan.successCriteria.contains("All 7 universal patterns that are not skipped implemented (skipped: defer-queue)"))
        let plain = try CLI.report(sampleURL("agent-bridge").path)
        #expect(plain.plan.successCriteria.contains("All 8 universal patterns implemented"))
    }

    // MARK: Item 15: HTML marks, header and plurals

    @Test("HTML: text marks instead of emoji in the state column, a Figure header, singular counts")
    func htmlMarks() throws {
        let scratch = try Scratch("html")
        let root = try scratch.dir("one")
        _ = try scratch.file("one/inbox/solo/m.msg", "x")
        let file = scratch.absolute("plan.html")
        let run = try CLI.run([root, "-o", file, "-q", "--now", fixedNowText])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try Consumer.html(file)
        #expect(!page.text.contains("✅") && !page.text.contains("❌"), "emoji need an emoji font")
        #expect(page.text.contains("✓ file-based") && page.text.contains("✗ missing"))
        #expect(page.text.contains("Figure"))
        #expect(page.text.contains("1 agent,") && page.text.contains("1 user (estimated)"), "\(page.text)")
        #expect(!page.text.contains("1 agents") && !page.text.contains("1 users"))
    }

    // MARK: Item 6: the tool's own outputs

    @Test("reports written into the analysed folder are not part of the next run's system")
    func ownOutputsNotScanned() throws {
        let scratch = try Scratch("twice")
        let root = try Self.handMade(scratch)
        let arguments = ["--path", ".", "-q", "--now", fixedNowText, "-f", "md,html,junit,json,sarif,github", "--output-dir", "."]
        let first = try CLI.run(arguments, in: URL(fileURLWithPath: root))
        #expect(first.status == 0, "\(first.stderr)")
        let firstJSON = try fileData(root + "/migration-plan.json")
        let firstMarkdown = try fileData(root + "/migration-plan.md")
        let second = try CLI.run(arguments, in: URL(fileURLWithPath: root))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try fileData(root + "/migration-plan.json") == firstJSON, "the second run saw the first run's reports")
        #expect(try fileData(root + "/migration-plan.md") == firstMarkdown)
        // A report named with --output inside a folder of the system is not counted either.
        let inside = try CLI.run([root, "-q", "--now", fixedNowText, "-o", root + "/inbox/bob/plan.json"])
        #expect(inside.status == 0)
        let again = try CLI.run([root, "-q", "--now", fixedNowText, "-o", root + "/inbox/bob/plan.json"])
        #expect(again.status == 0)
        let report = try MigrationReport.decode(try fileData(root + "/inbox/bob/plan.json"))
        #expect(report.detection.messageFiles == 1, "plan.json in an inbox was counted as a message")
    }

    // MARK: Item 7: gates and suggestions

    @Test("--fail-on takes >= as well as > for gaps and hours", arguments: [
        ("gaps>=2", 1), ("gaps>=3", 0), ("gaps>1", 1), ("hours>=6", 1), ("hours>=7", 0), ("hours>5", 1),
    ])
    func greaterOrEqual(_ condition: String, _ status: Int32) throws {
        let run = try CLI.run([sampleURL("agent-bridge").path, "-o", "-", "-q", "--fail-on", condition])
        #expect(run.status == status, "\(condition): \(run.stderr)")
    }

    @Test("a mistyped value gets the nearest known one", arguments: [
        (["--fail-on", "missing:prority-queue"], "did you mean 'priority-queue'?"),
        (["--fail-on", "risk>=hgh"], "did you mean 'high'?"),
        (["--skip-pattern", "defer-queu"], "did you mean 'defer-queue'?"),
        (["--format", "jsn"], "did you mean 'json'?"),
    ])
    func didYouMean(_ extra: [String], _ hint: String) throws {
        let run = try CLI.run([sampleURL("agent-bridge").path, "-o", "-", "-q"] + extra)
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1 && run.stderr.contains(hint), "\(run.stderr)")
    }

    // MARK: Item 5 and -v: the terminal

    @Test("the panels name the folder and the missing patterns; -v shows the evidence")
    func panelsNameThings() throws {
        let scratch = try Scratch("panels")
        let root = try Self.handMade(scratch)
        let run = try CLI.run([root, "-o", "-", "--now", fixedNowText])
        #expect(run.stderr.contains(root), "the folder analysed is named")
        #expect(run.stderr.contains("collision-free-messaging"), "the missing patterns are named")
        #expect(!run.stderr.contains("Coordination System Migration Assistant"), "no banner off a terminal")
        #expect(!run.stderr.contains("inbox/bob/hello.msg"))
        let verbose = try CLI.run([root, "-o", "-", "--now", fixedNowText, "-v"])
        #expect(verbose.stderr.contains("Evidence per finding"))
        #expect(verbose.stderr.contains("inbox/bob/"), "\(verbose.stderr)")
        let long = try CLI.run([root, "-o", "-", "--now", fixedNowText, "--verbose"])
        #expect(long.stderr == verbose.stderr)
    }

    @Test("an empty folder says plainly that no coordination system was found, and still plans")
    func nothingFound() throws {
        let scratch = try Scratch("nothing")
        let empty = try scratch.dir("empty")
        let run = try CLI.run([empty, "-o", "-", "--now", fixedNowText])
        #expect(run.status == 0)
        #expect(run.stderr.contains("No coordination system was found in \(empty)"), "\(run.stderr)")
        #expect(run.stdoutText.contains("# Migration Plan"))
    }

    @Test("panels fit the width COLUMNS gives")
    func panelWidth() throws {
        let run = try CLI.run([sampleURL("agent-bridge").path, "-o", "-"], environment: ["COLUMNS": "50"])
        #expect(run.status == 0)
        for line in run.stderrLines where line.hasPrefix("│") || line.hasPrefix("╭") || line.hasPrefix("╰") {
            #expect(line.count <= 50, "\(line)")
        }
        #expect(run.stderrLines.contains { $0.hasPrefix("╭") && $0.count == 50 })
    }

    @Test("--color always and FORCE_COLOR colour a pipe; --color never and NO_COLOR win", arguments: [
        ([String](), ["FORCE_COLOR": "1"], true), (["--color", "always"], [:], true), (["--color", "never"], ["FORCE_COLOR": "1"], false),
        ([String](), ["FORCE_COLOR": "1", "NO_COLOR": "1"], false), ([String](), [:], false), (["--color", "auto"], [:], false),
    ])
    func colourChoice(_ extra: [String], _ environment: [String: String], _ coloured: Bool) throws {
        let run = try CLI.run([sampleURL("agent-bridge").path, "-o", "-"] + extra, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\u{1B}[") == coloured, "\(extra) \(environment)")
    }

    @Test("plain ASCII on the terminal when the locale is not UTF-8, names from the tree escaped")
    func asciiLocale() throws {
        let scratch = try Scratch("ascii")
        let root = try scratch.dir("sÿstem")
        _ = try scratch.file("sÿstem/inbox/ünï/m.msg", "x")
        for locale in [["LANG": "C"], ["LANG": "C.UTF-8", "LC_ALL": "POSIX"]] {
            let run = try CLI.run([root, "-o", "-", "-v"], environment: locale)
            #expect(run.status == 0)
            let foreign = run.stderr.unicodeScalars.filter { !$0.isASCII }.map { String($0) }
            #expect(foreign.isEmpty, "\(locale): \(foreign)")
            #expect(run.stderr.contains("+---") && run.stderr.contains("[ ]"))
        }
        let utf8 = try CLI.run([root, "-o", "-"], environment: ["LANG": "en_US.UTF-8"])
        #expect(utf8.stderr.contains("╭") && utf8.stderr.contains("sÿstem"))
    }
}

extension NewcomerTests {
    @Test("the first page of --help shows the default command's options", arguments: ["--help", "-h", "help"])
    func helpFirstPage(_ flag: String) throws {
        let run = try CLI.run([flag])
        #expect(run.status == 0)
        for text in ["SUBCOMMANDS:", "--fail-on", "-v, --verbose", "--color", "-o, --output", "<DIR>"] {
            #expect(run.stdoutText.contains(text), "\(flag) lacks \(text)")
        }
    }
}
