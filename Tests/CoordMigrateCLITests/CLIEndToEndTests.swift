import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

struct SampleExpectation: Sendable, CustomTestStringConvertible {
    var sample: String
    var messageSystem: MessageSystemType
    var databaseType: String?
    var level: ComplexityLevel
    var hours: Int
    var risk: RiskLevel
    var breaking: Int
    var steps: Int
    var timeline: String
    var dataMigration: Bool
    var testDescription: String { sample }
}

/// The worked examples of DESIGN §9, by the seed's arithmetic.
let sampleExpectations: [SampleExpectation] = [
    .init(sample: "agent-bridge", messageSystem: .fileBased, level: .simple, hours: 6, risk: .low, breaking: 0,
          steps: 7, timeline: "1 day", dataMigration: false),
    // The seed lists 14 steps for this tree; a tree with no coordination system now gets none
    // (nothing to back up, move or cut over), and the seed's figures stay in the score.
    .init(sample: "my-scripts", messageSystem: .none, level: .complex, hours: 40, risk: .low, breaking: 2,
          steps: 0, timeline: "5 days", dataMigration: false),
    .init(sample: "enterprise-workflow", messageSystem: .database, databaseType: "postgresql", level: .simple, hours: 6,
          risk: .medium, breaking: 2, steps: 9, timeline: "1 day", dataMigration: true),
]

@Suite("coord-migrate end to end")
struct CLIEndToEndTests {
    @Test("the samples give the worked examples' numbers", arguments: sampleExpectations)
    func samples(_ expected: SampleExpectation) throws {
        let report = try CLI.report(sampleURL(expected.sample).path)
        #expect(report.detection.messageSystemType == expected.messageSystem)
        #expect(report.detection.databaseType == expected.databaseType)
        #expect(report.complexity.complexityLevel == expected.level)
        #expect(report.complexity.estimatedHours == expected.hours)
        #expect(report.complexity.riskLevel == expected.risk)
        #expect(report.complexity.breakingChanges.count == expected.breaking)
        #expect(report.plan.steps.count == expected.steps)
        #expect(report.plan.estimatedTimeline == expected.timeline)
        #expect(report.complexity.dataMigrationRequired == expected.dataMigration)
        #expect(report.generatedAt == fixedNowText)
        #expect(report.targetPath == sampleURL(expected.sample).standardizedFileURL.path)
        #expect(report.scan.elapsedMs == 0)
    }

    // MARK: Exit codes

    struct BadRun: Sendable, CustomTestStringConvertible {
        var name: String
        /// Arguments; `{tree}` is a small valid tree, `{file}` a regular file, `{missing}` a missing path.
        var arguments: [String]
        var message: [String]
        var environment: [String: String] = [:]
        /// The banner and panels are printed before this error is found (a known product bug).
        var testDescription: String { name }
    }

    static let badRuns: [BadRun] = [
        .init(name: "missing path", arguments: ["--path", "{missing}"], message: ["no such directory"]),
        .init(name: "path is a file", arguments: ["--path", "{file}"], message: ["not a directory"]),
        .init(name: "unknown format", arguments: ["--path", "{tree}", "--format", "nope"], message: ["nope", "md", "json"]),
        .init(name: "malformed flag", arguments: ["--path", "{tree}", "--bogus"], message: ["bogus"]),
        .init(name: "bad --now", arguments: ["--path", "{tree}", "--now", "next tuesday"], message: ["--now"]),
        .init(name: "bad SOURCE_DATE_EPOCH", arguments: ["--path", "{tree}"], message: ["SOURCE_DATE_EPOCH"],
              environment: ["SOURCE_DATE_EPOCH": "soon"]),
        .init(name: "--now before 1970 (year 0)", arguments: ["--path", "{tree}", "--now", "0000-01-01T00:00:00Z"],
              message: ["--now", "1970", "9999"]),
        .init(name: "--now before 1970 (1969)", arguments: ["--path", "{tree}", "--now", "1969-12-31T23:59:59Z"],
              message: ["--now", "1970", "9999"]),
        .init(name: "SOURCE_DATE_EPOCH at Int.max", arguments: ["--path", "{tree}"], message: ["SOURCE_DATE_EPOCH", "1970", "9999"],
              environment: ["SOURCE_DATE_EPOCH": "9223372036854775807"]),
        .init(name: "SOURCE_DATE_EPOCH at 1e16 (year 316 million)", arguments: ["--path", "{tree}"],
              message: ["SOURCE_DATE_EPOCH", "1970", "9999"], environment: ["SOURCE_DATE_EPOCH": "10000000000000000"]),
        .init(name: "SOURCE_DATE_EPOCH in year 10000", arguments: ["--path", "{tree}"],
              message: ["SOURCE_DATE_EPOCH", "1970", "9999"], environment: ["SOURCE_DATE_EPOCH": "253402300800"]),
        .init(name: "SOURCE_DATE_EPOCH past Int.max", arguments: ["--path", "{tree}"],
              message: ["SOURCE_DATE_EPOCH", "1970", "9999"], environment: ["SOURCE_DATE_EPOCH": "99999999999999999999999"]),
        .init(name: "negative SOURCE_DATE_EPOCH", arguments: ["--path", "{tree}"], message: ["SOURCE_DATE_EPOCH", "1970", "9999"],
              environment: ["SOURCE_DATE_EPOCH": "-1"]),
        .init(name: "missing template", arguments: ["--path", "{tree}", "--template", "{missing}"], message: ["template"]),
        .init(name: "template that does not parse", arguments: ["--path", "{tree}", "--template", "{badtemplate}"],
              message: ["template"]),
    ]

    @Test("bad usage or input: exit 2, one line on stderr, nothing written", arguments: badRuns)
    func badUsage(_ row: BadRun) throws {
        let scratch = try Scratch("bad")
        let tree = try scratch.dir("tree")
        _ = try scratch.file("tree/inbox/a/m.msg", "x")
        let file = try scratch.file("plain.txt", "not a folder")
        let badTemplate = try scratch.file("bad.mustache", "{{#open}} never closed\n")
        let work = try scratch.dir("work")
        let substitutions = ["{tree}": tree, "{file}": file, "{missing}": scratch.absolute("nope"), "{badtemplate}": badTemplate]
        let arguments = row.arguments.map { substitutions[$0] ?? $0 }

        // A fresh output path: nothing appears.
        let output = scratch.absolute("work/out.md")
        let fresh = try CLI.run(arguments + ["--output", output], in: URL(fileURLWithPath: work), environment: row.environment)
        #expect(fresh.status == 2)
        #expect(fresh.stdout.isEmpty)
        let errors = fresh.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
        #expect(errors.count == 1, "\(fresh.stderr)")
        for word in row.message { #expect(errors.first?.contains(word) == true, "\(fresh.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(fresh.stderrLines.count == 1, "\(fresh.stderr)")
        let quiet = try CLI.run(arguments + ["--output", output, "--quiet"], in: URL(fileURLWithPath: work), environment: row.environment)
        #expect(quiet.status == 2)
        #expect(quiet.stderrLines.count == 1, "with --quiet only the error is printed: \(quiet.stderr)")

        // An existing report is left untouched, and no default-named file appears.
        try Data("previous report\n".utf8).write(to: URL(fileURLWithPath: output))
        let again = try CLI.run(arguments + ["--output", output], in: URL(fileURLWithPath: work), environment: row.environment)
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous report\n")
        let defaulted = try CLI.run(arguments, in: URL(fileURLWithPath: work), environment: row.environment)
        #expect(defaulted.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work) == ["out.md"])
    }

    // MARK: Streams and colour

    @Test("--output - writes only the report to stdout; the panels go to stderr")
    func streams() throws {
        let path = sampleURL("agent-bridge").path
        let result = try CLI.run(["--path", path, "--output", "-", "--format", "json", "--now", fixedNowText])
        #expect(result.status == 0)
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: result.stdout)
        #expect(report.plan.steps.count == 7)
        #expect(try report.jsonData() == result.stdout, "stdout holds the report and nothing else")
        #expect(result.stderr.contains("Detection Results"))
        #expect(result.stderr.contains("Complexity Analysis"))
        #expect(result.stderr.contains("7 steps"))
        #expect(!result.stdoutText.contains("Detection Results"))
    }

    @Test("--quiet prints nothing on stderr")
    func quiet() throws {
        let scratch = try Scratch("quiet")
        let result = try CLI.run(["--path", sampleURL("my-scripts").path, "--output", scratch.absolute("plan.md"), "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: scratch.absolute("plan.md")))
    }

    @Test("no ANSI escapes when stderr is not a terminal")
    func noColourWithoutTerminal() throws {
        for environment in [["TERM": "xterm-256color"], ["TERM": "xterm-256color", "NO_COLOR": "1"]] {
            let result = try CLI.run(["--path", sampleURL("agent-bridge").path, "--output", "-", "--now", fixedNowText],
                                     environment: environment)
            #expect(result.status == 0)
            #expect(!result.stderr.isEmpty)
            #expect(!result.stderr.contains("\u{1B}"))
            #expect(!result.stdoutText.contains("\u{1B}"))
        }
    }

    static var terminalAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/script") && FileManager.default.fileExists(atPath: "/dev/ptmx")
    }

    /// Runs the tool with stderr on a pseudo-terminal (util-linux `script`) and returns what the terminal showed.
    func onTerminal(_ arguments: [String], environment: [String: String]) throws -> String {
        let binary = try CLI.requireBinary()
        let scratch = try Scratch("tty")
        let command = ([binary.path] + arguments).map(ShellQuoting.quote).joined(separator: " ") + " 2>&1 >/dev/null"
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
            environment: CLI.environment(home: scratch.path, ["SHELL": "/bin/sh"].merging(environment) { $1 }))
        return result.stdoutText + result.stderr
    }

    @Test("on a terminal: colour, unless NO_COLOR, --no-color or TERM=dumb",
          .enabled(if: terminalAvailable, "needs util-linux script and a pseudo-terminal"))
    func colourOnTerminal() throws {
        let arguments = ["--path", sampleURL("agent-bridge").path, "--output", "-", "--now", fixedNowText]
        let coloured = try onTerminal(arguments, environment: ["TERM": "xterm-256color"])
        try #require(coloured.contains("Detection Results"), "the terminal run did not work: \(coloured.prefix(300))")
        #expect(coloured.contains("\u{1B}["), "colour on a terminal")
        for (extra, environment) in [
            ([String](), ["TERM": "xterm-256color", "NO_COLOR": "1"]),
            (["--no-color"], ["TERM": "xterm-256color"]),
            ([String](), ["TERM": "dumb"]),
        ] {
            let plain = try onTerminal(arguments + extra, environment: environment)
            #expect(plain.contains("Detection Results"))
            #expect(!plain.contains("\u{1B}"), "\(extra) \(environment)")
        }
    }

    // MARK: Reproducibility

    @Test("SOURCE_DATE_EPOCH fixes generated_at; --now wins over it")
    func sourceDateEpoch() throws {
        let path = sampleURL("agent-bridge").path
        let arguments = ["--path", path, "--output", "-", "--format", "json", "--quiet"]
        let first = try CLI.run(arguments, environment: ["SOURCE_DATE_EPOCH": "1764057600"])
        let second = try CLI.run(arguments, environment: ["SOURCE_DATE_EPOCH": "1764057600"])
        #expect(first.status == 0)
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: first.stdout)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(report.generatedAt == formatter.string(from: Date(timeIntervalSince1970: 1_764_057_600)))
        #expect(report.scan.elapsedMs == 0)
        #expect(first.stdout == second.stdout)

        let both = try CLI.run(arguments + ["--now", fixedNowText], environment: ["SOURCE_DATE_EPOCH": "1764057600"])
        let fixed = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: both.stdout)
        #expect(fixed.generatedAt == fixedNowText)
    }

    @Test("the first and last accepted report times, from --now and SOURCE_DATE_EPOCH, are written as given", arguments: [
        (["--now", "1970-01-01T00:00:00Z"], [:], "1970-01-01T00:00:00Z"),
        (["--now", "9999-12-31T23:59:59Z"], [:], "9999-12-31T23:59:59Z"),
        ([], ["SOURCE_DATE_EPOCH": "0"], "1970-01-01T00:00:00Z"),
        ([], ["SOURCE_DATE_EPOCH": "253402300799"], "9999-12-31T23:59:59Z"),
    ] as [([String], [String: String], String)])
    func clockBounds(_ flags: [String], _ environment: [String: String], _ expected: String) throws {
        let arguments = ["--path", sampleURL("agent-bridge").path, "--output", "-", "--format", "json", "--quiet"] + flags
        let result = try CLI.run(arguments, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: result.stdout)
        #expect(report.generatedAt == expected)
    }

    @Test("two runs with the same --now give byte-identical output", arguments: ["md", "json"])
    func byteIdentical(_ format: String) throws {
        for sample in ["agent-bridge", "my-scripts", "enterprise-workflow"] {
            let arguments = ["--path", sampleURL(sample).path, "--output", "-", "--format", format, "--now", fixedNowText, "--quiet"]
            let first = try CLI.run(arguments)
            let second = try CLI.run(arguments)
            #expect(first.status == 0)
            #expect(!first.stdout.isEmpty)
            #expect(first.stdout == second.stdout, "\(sample) \(format)")
        }
    }

    // MARK: Output files and templates

    @Test("the default output is migration-plan.md in the working directory, and nothing is written into the tree")
    func defaultOutputName() throws {
        let scratch = try Scratch("default")
        let work = URL(fileURLWithPath: try scratch.dir("work"))
        let tree = try scratch.dir("tree")
        _ = try scratch.file("tree/inbox/code/m.msg", "x")
        _ = try scratch.file("tree/events.log", "x")
        let before = scratch.listing().filter { $0.hasPrefix("tree") }

        let result = try CLI.run(["--path", tree, "--now", fixedNowText, "--quiet"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["migration-plan.md"])
        let written = try Data(contentsOf: work.appendingPathComponent("migration-plan.md"))
        let printed = try CLI.run(["--path", tree, "--now", fixedNowText, "--quiet", "--output", "-"])
        #expect(written == printed.stdout)

        let json = try CLI.run(["--path", tree, "--now", fixedNowText, "--quiet", "--format", "json"], in: work)
        #expect(json.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).sorted() == ["migration-plan.json", "migration-plan.md"])
        #expect(scratch.listing().filter { $0.hasPrefix("tree") } == before)
    }

    @Test("several formats go to --output-dir, one file each")
    func outputDirectory() throws {
        let scratch = try Scratch("outdir")
        let folder = try scratch.dir("reports")
        let result = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "md,json", "--output-dir", folder,
                                  "--now", fixedNowText, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["migration-plan.json", "migration-plan.md"])
        let json = try Data(contentsOf: URL(fileURLWithPath: folder + "/migration-plan.json"))
        #expect(try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: json).plan.steps.count == 7)
    }

    @Test("--template FILE renders the given template")
    func customTemplate() throws {
        let scratch = try Scratch("template")
        let template = try scratch.file("plan.mustache", """
            {{% CONTENT_TYPE: MARKDOWN}}
            # Custom plan

            Steps: {{stepCount}}
            Level: {{complexityLevel}}
            Timeline: {{timeline}}
            Target: {{{targetCode}}}
            {{#steps}}
            - {{number}} {{title}}
            {{/steps}}

            """)
        let path = sampleURL("enterprise-workflow").path
        let result = try CLI.run(["--path", path, "--template", template, "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try CLI.report(path)
        var expected = """
            # Custom plan

            Steps: \(report.plan.steps.count)
            Level: \(report.complexity.complexityLevel.rawValue)
            Timeline: \(report.plan.estimatedTimeline)
            Target: `\(report.targetPath)`

            """
        for step in report.plan.steps { expected += "- \(step.number) \(step.title)\n" }
        #expect(result.stdoutText == expected)
    }

    @Test("--exclude and --no-default-excludes change what is seen")
    func excludes() throws {
        let scratch = try Scratch("exclude")
        let tree = try scratch.dir("tree")
        _ = try scratch.file("tree/inbox/code/m.msg", "x")
        _ = try scratch.file("tree/.build/Spec.tla", "---- MODULE Spec ----\n====\n")
        let plain = try CLI.report(tree)
        #expect(plain.detection.messageSystemType == .fileBased)
        #expect(!plain.detection.existingPatterns.contains(.tlaVerification))

        let excluded = try CLI.report(tree, extra: ["--exclude", "inbox"])
        #expect(excluded.detection.messageSystemType == .none)

        let everything = try CLI.report(tree, extra: ["--no-default-excludes"])
        #expect(everything.detection.existingPatterns.contains(.tlaVerification))
    }

    @Test("output that cannot be written: exit 2, nothing created")
    func unwritableOutput() throws {
        let scratch = try Scratch("unwritable")
        let folder = try scratch.dir("a-folder")
        let file = try scratch.file("a-file", "x")
        let path = sampleURL("agent-bridge").path
        for (arguments, word) in [
            (["--output", file + "/out.md"], "is not a folder"),
            (["--output", folder], "folder"),
            (["--output-dir", file], "--output-dir"),
            (["--output-dir", scratch.absolute("new"), "--now", "not-a-time"], "--now"),
            (["--format", "md,json", "--output", scratch.absolute("both.md")], "--output-dir"),
            (["--output", scratch.absolute("x.md"), "--output-dir", folder], "--output"),
        ] {
            let result = try CLI.run(["--path", path, "--now", fixedNowText, "--quiet"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(word), "\(arguments): \(result.stderr)")
        }
        #expect(scratch.listing() == ["a-file", "a-folder"], "nothing was created")
    }

    @Test("control characters from the tree never reach the terminal")
    func terminalSanitized() throws {
        let scratch = try Scratch("control")
        let tree = try scratch.dir("tree")
        _ = try scratch.file("tree/config.yaml", "database:\n  type: \"\\e[31mred\\e[0m\"\nagents: {a: {}}\n")
        let result = try CLI.run(["--path", tree, "--output", "-", "--now", fixedNowText])
        #expect(result.status == 0)
        #expect(result.stderr.contains("[31mred"), "the value is shown")
        #expect(!result.stderr.contains("\u{1B}"), "but not as an escape sequence")
        #expect(!result.stdoutText.contains("\u{1B}"), "nor in the Markdown plan")
        let report = try CLI.report(tree)
        #expect(report.detection.databaseType == "\u{1B}[31mred\u{1B}[0m", "the model keeps the value as it is")
    }

    @Test("--path defaults to the working directory")
    func defaultPath() throws {
        let scratch = try Scratch("cwd")
        let tree = URL(fileURLWithPath: try scratch.dir("tree"))
        _ = try scratch.file("tree/events.log", "x")
        let result = try CLI.run(["--output", "-", "--format", "json", "--now", fixedNowText, "--quiet"], in: tree)
        #expect(result.status == 0)
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: result.stdout)
        #expect(report.targetPath == tree.resolvingSymlinksInPath().path)
        #expect(report.detection.hasEventLog)
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == coordMigrateVersion)
    }
}
