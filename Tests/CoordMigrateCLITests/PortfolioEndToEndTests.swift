import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// `coord-migrate portfolio` run as users run it: over generated systems and the
// samples, sharded and not, each output read back by a real consumer (jsonschema for
// JSON, Python's html.parser and headless Chromium for HTML, the tool's own reports
// for the numbers).

/// Small generated systems, each with a different mix of what the detectors look for.
enum PortfolioTrees {
    static let uuids = [
        "550e8400-e29b-41d4-a716-446655440000", "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479", "9b2f3c1e-8d4a-4f6b-9a3e-2c1d7e5f4a6b",
    ]

    /// System `index` under `tree` at `name`: its bits choose inboxes with UUID names,
    /// an event log, an agent configuration with authority domains, a TLA+ spec, a
    /// database config.
    @discardableResult
    static func make(_ tree: TempTree, _ name: String, index: Int) throws -> String {
        let agents = ["alpha", "beta", "gamma"].prefix(1 + index % 3)
        if index & 1 != 0 {
            for (n, agent) in agents.enumerated() {
                try tree.file("\(name)/inbox/\(agent)/2026-11-2\(n)T10:00:00Z-\(agent)-\(uuids[(index + n) % 4]).msg", "hello \(index)\n")
            }
        } else {
            for agent in agents { try tree.file("\(name)/inbox/\(agent)/note-\(index).txt", "hi\n") }
        }
        if index & 2 != 0 { try tree.file("\(name)/events.log", "2026-11-20T10:00:00Z sent alpha beta\n") }
        if index & 4 != 0 {
            let lines = agents.map { "  \($0):\n    role: works\n    authority_domains: [area-\($0)]" }
            try tree.file("\(name)/config.yaml", "agents:\n" + lines.joined(separator: "\n") + "\n")
        }
        if index & 8 != 0 { try tree.file("\(name)/specs/Bridge.tla", "---- MODULE Bridge ----\nVARIABLES inbox\n====\n") }
        if index % 7 == 3 { try tree.file("\(name)/config.yaml", "database: {type: sqlite}\nagents:\n  a: {}\n  b: {}\n") }
        return tree.absolute(name)
    }
}

@Suite("portfolio command", .serialized)
struct PortfolioEndToEndTests {
    /// 16 generated systems and three samples, listed in a file.
    static func fleet(_ tree: TempTree) throws -> (list: String, paths: [String]) {
        var paths = try (0..<16).map { try PortfolioTrees.make(tree, "fleet/system-\($0)", index: $0) }
        paths += ["agent-bridge", "my-scripts", "enterprise-workflow"].map { sampleURL($0).path }
        let list = try tree.file("systems.txt", "# the fleet\n" + paths.joined(separator: "\n") + "\n")
        return (list, paths)
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try CLI.run(["portfolio"] + arguments, in: directory)
        #expect(result.status == 0, "portfolio \(arguments) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    static func read(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    @Test("four shards merged give the unsharded rollup byte for byte, in every format; -j does not change a byte")
    func shardsMergeByteForByte() throws {
        let tree = try TempTree("portfolio")
        let (list, paths) = try Self.fleet(tree)
        let now = ["--now", fixedNowText]
        try Self.run(["--paths-from", list, "-j", "2", "--reports-dir", "all", "-f", "md,html,json", "--output-dir", "whole"] + now, in: tree.url)
        var shardFiles: [String: Data] = [:]
        for shard in 1...4 {
            let result = try Self.run(["--paths-from", list, "--shard", "\(shard)/4", "--reports-dir", "shards/\(shard)"] + now, in: tree.url)
            #expect(result.stderr.contains("shard \(shard)/4"))
            #expect(!FileManager.default.fileExists(atPath: tree.absolute("portfolio.md")), "a shard wrote a rollup it was not asked for")
            for name in try FileManager.default.contentsOfDirectory(atPath: tree.absolute("shards/\(shard)")) {
                #expect(shardFiles[name] == nil, "\(name) is in two shards")
                shardFiles[name] = try Self.read(tree.url.appendingPathComponent("shards/\(shard)/\(name)"))
            }
        }
        // Every system in exactly one shard, its report the same bytes as the unsharded run's.
        let allNames = try FileManager.default.contentsOfDirectory(atPath: tree.absolute("all")).sorted()
        #expect(allNames.count == paths.count)
        #expect(shardFiles.keys.sorted() == allNames)
        for name in allNames { #expect(shardFiles[name] == (try Self.read(tree.url.appendingPathComponent("all/\(name)"))), "\(name)") }

        try Self.run(["shards", "-f", "md,html,json", "--output-dir", "merged"], in: tree.url)
        try Self.run(["--paths-from", list, "-j", "1", "-f", "json", "--output", "serial.json"] + now, in: tree.url)
        for ext in ["md", "html", "json"] {
            let whole = try Self.read(tree.url.appendingPathComponent("whole/portfolio.\(ext)"))
            let merged = try Self.read(tree.url.appendingPathComponent("merged/portfolio.\(ext)"))
            #expect(merged == whole, "the merged \(ext) differs from the unsharded one")
        }
        #expect(try Self.read(tree.url.appendingPathComponent("serial.json")) == (try Self.read(tree.url.appendingPathComponent("whole/portfolio.json"))))
    }

    @Test("the documented GitHub matrix and GitLab parallel recipes, run as written, give the unsharded rollup")
    func readmeShardingRecipes() throws {
        let commands = try ReadmeRecipeTests.commands(inSection: "### Sharding across CI jobs")
        // In the page's order: the GitHub shard and rollup, then GitLab's.
        try #require(commands.count == 4, "\(commands)")
        let github = Array(commands[0..<2]), gitlab = Array(commands[2..<4])
        #expect(github[0].contains("matrix.shard") && gitlab[0].contains("CI_NODE_INDEX"), "\(commands)")
        let binaryFolder = try CLI.requireBinary().deletingLastPathComponent().path
        for recipe in [github, gitlab] {
            let tree = try TempTree("portfolio-readme")
            var names: [String] = []
            for index in 0..<10 { names.append("repos/system-\(index)"); try PortfolioTrees.make(tree, names[index], index: index) }
            try tree.file("systems.txt", names.joined(separator: "\n") + "\n")
            let base = ["PATH": "\(binaryFolder):/usr/bin:/bin", "HOME": tree.path, "LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": "1795593600"]
            for shard in 1...4 {
                var environment = base
                environment["CI_NODE_INDEX"] = "\(shard)"
                environment["CI_NODE_TOTAL"] = "4"
                let command = recipe[0].replacingOccurrences(of: "${{ matrix.shard }}", with: "\(shard)")
                let result = try runShell(command, environment: environment, in: tree.path)
                #expect(result.status == 0, "`\(command)`: \(result.stderr)")
            }
            let rollup = try runShell(recipe[1], environment: base, in: tree.path)
            #expect(rollup.status == 0, "`\(recipe[1])`: \(rollup.stderr)")
            let whole = try runShell(
                "coord-migrate portfolio --paths-from systems.txt -f md,html,json --output-dir whole", environment: base, in: tree.path)
            #expect(whole.status == 0, "\(whole.stderr)")
            for ext in ["md", "html", "json"] {
                let sharded = try Self.read(tree.url.appendingPathComponent("portfolio/portfolio.\(ext)"))
                #expect(sharded == (try Self.read(tree.url.appendingPathComponent("whole/portfolio.\(ext)"))), "\(ext) differs")
            }
            #expect(try PortfolioReport.decode(Self.read(tree.url.appendingPathComponent("portfolio/portfolio.json"))).totals.systems == 10)
        }
    }

    @Test("portfolio diff: a pattern lost is a regression (exit 1 with --fail-on-regression), the JSON names it")
    func portfolioDiff() throws {
        let tree = try TempTree("portfolio-diff")
        let system = try PortfolioTrees.make(tree, "repo", index: 7)
        try PortfolioTrees.make(tree, "other", index: 2)
        try tree.file("systems.txt", "repo\nother\n")
        try Self.run(["--paths-from", "systems.txt", "--now", fixedNowText, "-o", "old.json"], in: tree.url)
        // The event log goes away: event sourcing is lost.
        try FileManager.default.removeItem(atPath: system + "/events.log")
        try Self.run(["--paths-from", "systems.txt", "--now", fixedNowText, "-o", "new.json"], in: tree.url)

        let same = try CLI.run(["portfolio", "diff", "old.json", "old.json", "--fail-on-regression"], in: tree.url)
        #expect(same.status == 0, "\(same.stderr)")
        let result = try CLI.run(["portfolio", "diff", "old.json", "new.json", "--fail-on-regression", "-f", "json", "-o", "diff.json"], in: tree.url)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("lost event-sourcing"), "\(result.stderr)")
        let diff = try JSONSerialization.jsonObject(with: Self.read(tree.url.appendingPathComponent("diff.json"))) as? [String: Any]
        let regressed = try #require(diff?["regressed"] as? [[String: Any]])
        #expect(regressed.map { $0["path"] as? String } == [URL(fileURLWithPath: system).standardizedFileURL.path])
        #expect(regressed.first?["patterns_lost"] as? [String] == ["event-sourcing"])

        let wrongKind = try CLI.run(["portfolio", "diff", "old.json", "systems.txt"], in: tree.url)
        #expect(wrongKind.status == 2)
        #expect(wrongKind.stderrLines.count == 1 && wrongKind.stderr.contains("systems.txt: not a JSON portfolio"), "\(wrongKind.stderr)")
    }

    @Test("--exclude, --policy and --no-database reach every analysis: each saved report equals analyze's with the same flags")
    func analysisFlagsPassThrough() throws {
        let tree = try TempTree("portfolio-flags")
        let first = try PortfolioTrees.make(tree, "one", index: 7)
        let second = try PortfolioTrees.make(tree, "two", index: 3)
        try tree.file("systems.txt", "one\ntwo\n")
        try tree.file("policy.yaml", "hours: {base: {simple: 9, moderate: 9, complex: 9, very_complex: 9}}\n")
        let flags = ["--exclude", "events.log", "--policy", tree.absolute("policy.yaml"), "--no-database", "--now", fixedNowText]
        try Self.run(["--paths-from", "systems.txt", "--reports-dir", "reports", "-o", "portfolio.json"] + flags, in: tree.url)
        let portfolio = try PortfolioReport.decode(Self.read(tree.url.appendingPathComponent("portfolio.json")))
        for path in [first, second] {
            let direct = try CLI.run(["analyze", path, "--format", "json", "--output", "-", "--quiet"] + flags, in: tree.url)
            #expect(direct.status == 0, "\(direct.stderr)")
            let report = try MigrationReport.decode(direct.stdout)
            let name = String(format: "%016llx", PortfolioBuilder.stableHash(report.targetPath)) + ".json"
            #expect(try Self.read(tree.url.appendingPathComponent("reports/\(name)")) == direct.stdout, "\(path)")
            let system = try #require(portfolio.systems.first { $0.path == report.targetPath })
            #expect(system.hours == report.complexity.estimatedHours)
            #expect(!report.detection.evidence.contains { $0.path == "events.log" }, "--exclude did not reach the analysis")
            #expect(report.policy != nil, "--policy did not reach the analysis")
        }
    }

    @Test("a folder of reports: links (to folders, files, loops) and FIFOs inside it are passed over, not followed")
    func folderLinksNotFollowed() throws {
        let tree = try TempTree("portfolio-links")
        let outside = try TempTree("portfolio-outside")
        let report = try CLI.report(sampleURL("agent-bridge").path)
        var other = report
        other.targetPath = "/srv/elsewhere"
        try FileManager.default.createDirectory(atPath: tree.absolute("reports/in"), withIntermediateDirectories: true)
        try report.jsonData().write(to: tree.url.appendingPathComponent("reports/in/one.json"))
        try other.jsonData().write(to: outside.url.appendingPathComponent("other.json"))
        try tree.symlink("reports/outside", to: outside.path)
        try tree.symlink("reports/in/loop", to: "..")
        try tree.symlink("reports/in/link.json", to: outside.absolute("other.json"))
        _ = try tree.fifo("reports/in/pipe.json")
        let result = try CLI.run(["portfolio", "reports", "-o", "p.json"], in: tree.url, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let portfolio = try PortfolioReport.decode(Self.read(tree.url.appendingPathComponent("p.json")))
        #expect(portfolio.systems.map(\.path) == [report.targetPath])
    }

    @Test("the JSON validates against schemas/portfolio.schema.json and agrees with the systems' own reports")
    func jsonMatchesSchemaAndReports() throws {
        let tree = try TempTree("portfolio")
        let (list, paths) = try Self.fleet(tree)
        try Self.run(["--paths-from", list, "--now", fixedNowText, "--reports-dir", "reports", "-o", "portfolio.json"], in: tree.url)
        let schema = packageRoot.appendingPathComponent("schemas/portfolio.schema.json")
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            doc = json.load(open(sys.argv[2], encoding="utf-8"))
            errors = list(Draft202012Validator(schema).iter_errors(doc))
            for error in errors: print(error.json_path + ": " + error.message)
            sys.exit(1 if errors else 0)
            """
        let validation = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, schema.path, tree.absolute("portfolio.json")],
            environment: ProcessInfo.processInfo.environment)
        #expect(validation.status == 0, "the portfolio does not match its schema:\n\(validation.stdoutText)\(validation.stderr)")

        // The numbers, from the reports themselves.
        let portfolio = try PortfolioReport.decode(Self.read(tree.url.appendingPathComponent("portfolio.json")))
        let reports = try FileManager.default.contentsOfDirectory(atPath: tree.absolute("reports")).map {
            try MigrationReport.decode(Self.read(tree.url.appendingPathComponent("reports/\($0)")))
        }
        #expect(portfolio.totals.systems == paths.count)
        #expect(portfolio.totals.hours == reports.reduce(0) { $0 + $1.complexity.estimatedHours })
        #expect(portfolio.totals.steps == reports.reduce(0) { $0 + $1.plan.steps.count })
        #expect(portfolio.totals.gaps == reports.reduce(0) { $0 + $1.detection.gaps.count })
        #expect(Set(portfolio.systems.map(\.path)) == Set(reports.map(\.targetPath)))
        for report in reports {
            let system = try #require(portfolio.systems.first { $0.path == report.targetPath })
            #expect(system.gaps == report.detection.gaps.map(\.rawValue))
            #expect(system.riskLevel == report.complexity.riskLevel)
        }
        for level in RiskLevel.allCases {
            #expect(portfolio.riskDistribution.first { $0.level == level.rawValue }?.systems
                == reports.count { $0.complexity.riskLevel == level })
        }
        #expect(portfolio.patternCounts.map(\.missing).reduce(0, +) == portfolio.totals.gaps)
        // Several waves: the generated fleet is not uniform.
        #expect(portfolio.waves.count >= 2)
    }

    @Test("the HTML heat map: html.parser and headless Chromium see one row per system, eight cells each, no script")
    func htmlHeatMap() throws {
        let tree = try TempTree("portfolio")
        // Saved reports, 500 of them, built from a few real ones under other paths.
        let seeds = try ["agent-bridge", "my-scripts", "enterprise-workflow", "queue-lanes"].map {
            try CLI.report(sampleURL($0).path)
        }
        try FileManager.default.createDirectory(atPath: tree.absolute("reports"), withIntermediateDirectories: true)
        for index in 0..<500 {
            var report = seeds[index % seeds.count]
            report.targetPath = "/srv/repos/team-\(index / 20)/system-\(index)" + (index == 7 ? "/<script>alert(1)</script>" : "")
            try report.jsonData().write(to: tree.url.appendingPathComponent("reports/\(index).json"))
        }
        try Self.run(["reports", "-o", "portfolio.html"], in: tree.url)
        let file = tree.absolute("portfolio.html")
        let page = try Consumer.html(file)
        #expect(page.h1 == 1)
        #expect(page.elements("script").isEmpty)
        let cells = page.elements("span").filter { page.attributes(of: $0, "class").first?.hasPrefix("cell ") == true }
        #expect(cells.count - 3 == 500 * 8, "legend cells aside, 8 per system")
        let rows = page.elements("div").filter { page.attributes(of: $0, "role") == ["row"] }
        #expect(rows.count == 501)
        #expect(page.text.contains("/srv/repos/team-0/system-7/<script>alert(1)</script>"))

        let chromium = Consumer.candidates("chromium").first ?? Consumer.candidates("chromium-browser").first
        let browser = try #require(chromium, "headless Chromium is needed to check the page renders")
        let profile = try Scratch("chromium")
        let dom = try runProcess(
            URL(fileURLWithPath: browser),
            ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--dump-dom", "file://\(file)"],
            environment: Consumer.callerEnvironment, timeout: 120)
        #expect(dom.status == 0, "chromium failed: \(dom.stderr)")
        let rendered = dom.stdoutText
        #expect(rendered.components(separatedBy: "role=\"row\"").count - 1 == 501)
        #expect(rendered.components(separatedBy: "class=\"cell ").count - 1 == 500 * 8 + 3)
        #expect(!rendered.contains("<script"))
    }

    @Test("- reads a list of report files and folders from stdin")
    func standardInputList() throws {
        let tree = try TempTree("portfolio")
        try PortfolioTrees.make(tree, "a", index: 5)
        try PortfolioTrees.make(tree, "b", index: 6)
        try tree.file("systems.txt", "a\r\nb\r\n")
        try Self.run(["--paths-from", "systems.txt", "--now", fixedNowText, "--reports-dir", "reports", "-o", "direct.json"], in: tree.url)
        let binary = try CLI.requireBinary()
        let result = try runShell(
            "printf 'reports\\n' | \"$1\" portfolio - -o piped.json --quiet", arguments: [binary.path], in: tree.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(try Data(contentsOf: tree.url.appendingPathComponent("piped.json")) == Data(contentsOf: tree.url.appendingPathComponent("direct.json")))
        let folders = try runShell(
            "printf 'a\\nb\\n' | \"$1\" portfolio --paths-from - --now \(fixedNowText) -o listed.json --quiet", arguments: [binary.path], in: tree.path)
        #expect(folders.status == 0, "\(folders.stderr)")
        #expect(try Data(contentsOf: tree.url.appendingPathComponent("listed.json")) == Data(contentsOf: tree.url.appendingPathComponent("direct.json")))
        let portfolio = try PortfolioReport.decode(Data(contentsOf: tree.url.appendingPathComponent("piped.json")))
        #expect(portfolio.systems.map(\.path) == [tree.absolute("a"), tree.absolute("b")].map { URL(fileURLWithPath: $0).standardizedFileURL.path })
    }

    @Test("bad input: one line on stderr, exit 2, nothing written", arguments: [
        "malformed", "not-a-report", "a-portfolio", "fifo", "huge", "missing", "duplicate", "empty-call", "shard-without-list",
        "shard-without-reports-dir", "bad-shard", "bad-format", "bad-jobs", "missing-system", "list-missing", "stdin-twice", "two-formats-one-file",
    ])
    func badInput(_ kind: String) throws {
        let tree = try TempTree("portfolio-bad")
        let good = try CLI.report(sampleURL("agent-bridge").path)
        try FileManager.default.createDirectory(atPath: tree.absolute("reports"), withIntermediateDirectories: true)
        try good.jsonData().write(to: tree.url.appendingPathComponent("reports/good.json"))
        try tree.file("systems.txt", sampleURL("my-scripts").path + "\n")
        var arguments = ["portfolio", "reports", "-o", "out.json"]
        var expected = ""
        switch kind {
        case "malformed":
            try tree.file("reports/bad.json", "{\"schema_version\": \"1\", ")
            expected = "reports/bad.json: not a JSON report"
        case "not-a-report":
            try tree.file("reports/bad.json", "{\"hello\": 1}")
            expected = "has no schema_version"
        case "a-portfolio":
            let portfolio = try PortfolioBuilder.rollUp([])
            try portfolio.jsonData().write(to: tree.url.appendingPathComponent("reports/portfolio.json"))
            expected = "a portfolio, not a system's report"
        case "fifo":
            // Named directly: a folder's FIFOs, links and devices are not reports and are passed over.
            arguments = ["portfolio", try tree.fifo("pipe.json"), "-o", "out.json"]
            expected = "it is a FIFO, not a regular file"
        case "huge":
            let path = try tree.file("reports/huge.json")
            #expect(truncate(path, 65 << 20) == 0)
            expected = "more than the limit of 64 MiB"
        case "missing":
            arguments = ["portfolio", "nowhere.json", "-o", "out.json"]
            expected = "cannot read nowhere.json: no such file or folder"
        case "duplicate":
            try good.jsonData().write(to: tree.url.appendingPathComponent("reports/copy.json"))
            expected = "two reports describe the same system"
        case "empty-call":
            arguments = ["portfolio", "-o", "out.json"]
            expected = "no systems given"
        case "shard-without-list":
            arguments += ["--shard", "1/2", "--reports-dir", "r"]
            expected = "--shard cuts the --paths-from list"
        case "shard-without-reports-dir":
            arguments = ["portfolio", "--paths-from", "systems.txt", "--shard", "1/2", "-o", "out.json"]
            expected = "pass --reports-dir DIR"
        case "bad-shard":
            arguments = ["portfolio", "--paths-from", "systems.txt", "--shard", "3/2", "--reports-dir", "r", "-o", "out.json"]
            expected = "--shard '3/2' is not i/n"
        case "bad-format":
            arguments = ["portfolio", "reports", "-f", "sarif", "-o", "out.json"]
            expected = "unknown portfolio format 'sarif'"
        case "bad-jobs":
            arguments += ["-j", "0"]
            expected = "-j 0 is out of range"
        case "missing-system":
            try tree.file("systems.txt", sampleURL("my-scripts").path + "\n" + tree.absolute("gone") + "\n")
            arguments = ["portfolio", "--paths-from", "systems.txt", "--reports-dir", "r", "-o", "out.json"]
            expected = "gone"
        case "list-missing":
            arguments = ["portfolio", "--paths-from", "nolist.txt", "-o", "out.json"]
            expected = "--paths-from: cannot read nolist.txt: no such file"
        case "stdin-twice":
            arguments = ["portfolio", "-", "--paths-from", "-", "-o", "out.json"]
            expected = "stdin can be read once"
        case "two-formats-one-file":
            arguments = ["portfolio", "reports", "-f", "md,json", "-o", "out.json"]
            expected = "--output names one file but 2 formats"
        default:
            Issue.record("unknown case \(kind)")
        }
        let result = try CLI.run(arguments, in: tree.url)
        #expect(result.status == 2, "\(kind): \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(kind): \(result.stderr)")
        #expect(result.stderr.hasPrefix("coord-migrate: error: "), "\(kind): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(kind): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.absolute("out.json")), "\(kind): a rollup was written")
        if kind == "missing-system" {
            // Every folder is checked before the first is analysed: no report was written.
            #expect(!FileManager.default.fileExists(atPath: tree.absolute("r")))
        }
    }

    @Test("hostile folder names reach no terminal, no HTML and no Markdown unescaped")
    func hostileNames() throws {
        let tree = try TempTree("portfolio-hostile")
        let names = ["evil\u{1B}]0;owned\u{07}", "<img src=x onerror=alert(1)>", "pipe|star*", "-rf"]
        for (index, name) in names.enumerated() { try PortfolioTrees.make(tree, name, index: index + 1) }
        try tree.file("systems.txt", names.map { "./" + $0 }.joined(separator: "\n"))
        let result = try Self.run(
            ["--paths-from", "systems.txt", "--now", fixedNowText, "-f", "md,html,json", "--output-dir", "out", "--reports-dir", "r"],
            in: tree.url)
        #expect(!result.stderr.contains("\u{1B}"))
        let html = try String(contentsOfFile: tree.absolute("out/portfolio.html"), encoding: .utf8)
        #expect(!html.contains("<img"))
        #expect(!html.contains("\u{1B}"))
        let page = try Consumer.html(tree.absolute("out/portfolio.html"))
        #expect(page.elements("img").isEmpty)
        #expect(page.text.contains("<img src=x onerror=alert(1)>"))
        let markdown = try String(contentsOfFile: tree.absolute("out/portfolio.md"), encoding: .utf8)
        #expect(!markdown.contains("\u{1B}"))
        #expect(!markdown.replacingOccurrences(of: #"\<img"#, with: "").contains("<img"), "an unescaped < in the Markdown")
        let portfolio = try PortfolioReport.decode(Data(contentsOf: tree.url.appendingPathComponent("out/portfolio.json")))
        #expect(portfolio.systems.count == names.count)
        #expect(portfolio.systems.contains { $0.path.hasSuffix("evil\u{1B}]0;owned\u{07}") }, "JSON keeps the path exact")
    }
}
