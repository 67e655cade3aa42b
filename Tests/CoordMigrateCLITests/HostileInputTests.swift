import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Hostile input beside the tree, end to end: where the report goes (a closed or full
// stdout), the files a user passes (templates, settings, reports) and the settings
// file found in the tree. Every run goes through the watchdog of HostileTreeTests.swift,
// so a hang or a runaway allocation fails the test instead of the suite.

#if os(Linux)

/// The one `coord-migrate: error:` line a refused run must print, and nothing else.
private func soleError(_ result: HostileRunResult, sourceLocation: SourceLocation = #_sourceLocation) -> Substring? {
    #expect(result.finished, "killed by the watchdog: \(result.summary)", sourceLocation: sourceLocation)
    #expect(result.signal == nil, "ended by signal \(result.signal ?? 0): \(result.summary)", sourceLocation: sourceLocation)
    #expect(result.exitStatus == 2, "\(result.summary)", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1, "one line on stderr: \(result.stderrText)", sourceLocation: sourceLocation)
    let line = result.stderrLines.first
    #expect(line?.hasPrefix("coord-migrate: error: ") == true, "\(result.stderrText)", sourceLocation: sourceLocation)
    #expect(line.map(saysWhatToDo) == true, "the message says what to do: \(result.stderrText)", sourceLocation: sourceLocation)
    return line
}

/// Runs the tool through /bin/sh, which applies `redirect` to its stdout and then
/// execs it (the pid, and so the watchdog and the exit status, stay the tool's).
private func runRedirected(_ redirect: String, _ arguments: [String], home: String) throws -> HostileRunResult {
    let binary = try CLI.requireBinary().path
    return try HostileRun.run(
        "/bin/sh", ["-c", "exec \"$0\" \"$@\" \(redirect)", binary] + arguments,
        environment: CLI.environment(home: home, [:]), timeout: 120, memoryLimitKiB: 1024 * 1024)
}

/// A JSON report of a small tree, written by the tool into `box` at `name`.
private func savedReport(_ box: HostileSandbox, _ name: String, home: String) throws -> String {
    try box.file("t/inbox/agent/m.msg", "x")
    let target = box.absolute(name)
    let result = try HostileTool.run(
        ["--path", box.absolute("t"), "--format", "json", "--output", target, "--now", fixedNowText, "--quiet"],
        home: home, timeout: 120)
    try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
    return target
}

@Suite("Hostile input beside the tree, end to end")
struct HostileInputTests {
    // MARK: Standard output

    struct StdoutCase: Sendable, CustomTestStringConvertible {
        var redirect: String
        var command: String
        var reason: String
        var testDescription: String { "\(command) with stdout \(redirect)" }
    }

    static let stdoutCases: [StdoutCase] = [(">&-", "Bad file descriptor"), (">/dev/full", "No space left on device")]
        .flatMap { redirect, reason in
            ["analyze", "render", "diff"].map { StdoutCase(redirect: redirect, command: $0, reason: reason) }
        }

    @Test("stdout closed or on /dev/full: exit 2 and one line naming stdout and the reason, no crash", arguments: stdoutCases)
    func unwritableStdout(_ row: StdoutCase) throws {
        let box = try HostileSandbox("stdout")
        let home = try box.dir("home")
        let report = try savedReport(box, "report.json", home: home)
        let arguments: [String] =
            switch row.command {
            case "analyze": ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText]
            case "render": ["render", report, "--format", "md", "--output", "-"]
            default: ["diff", report, report]
            }
        for quiet in row.command == "analyze" ? [true, false] : [false] {
            let result = try runRedirected(row.redirect, arguments + (quiet ? ["--quiet"] : []), home: home)
            if quiet || row.redirect == ">&-" || row.command != "analyze" {
                // A closed stdout is found before any work, so even the panels are not printed;
                // render and diff print none.
                let line = soleError(result)
                #expect(line?.contains("to stdout: \(row.reason)") == true, "\(result.stderrText)")
            } else {
                #expect(result.finished && result.signal == nil && result.exitStatus == 2, "\(result.summary)")
                let errors = result.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
                #expect(errors.count == 1 && errors.first?.contains("to stdout: \(row.reason)") == true, "\(result.stderrText)")
            }
        }
    }

    @Test("patterns (and --explain) with stdout closed or on /dev/full: exit 2 and one line, no crash",
          arguments: [">&-", ">/dev/full"])
    func unwritablePatterns(_ redirect: String) throws {
        let box = try HostileSandbox("patterns-stdout")
        let home = try box.dir("home")
        for arguments in [["patterns"], ["patterns", "--explain", "defer-queue", "--path", sampleURL("agent-bridge").path]] {
            let result = try runRedirected(redirect, arguments, home: home)
            let line = soleError(result)
            #expect(line?.contains("cannot write the patterns to stdout") == true, "\(result.stderrText)")
        }
    }

    @Test("stderr closed or on /dev/full: the panels are lost but the run ends normally", arguments: ["2>&-", "2>/dev/full"])
    func unwritableStderr(_ redirect: String) throws {
        let box = try HostileSandbox("stderr")
        let home = try box.dir("home")
        let out = try box.dir("out")
        for arguments in [
            ["--path", sampleURL("agent-bridge").path, "--output-dir", out, "--now", fixedNowText],
            ["--path", box.absolute("missing"), "--now", fixedNowText],
        ] {
            let result = try runRedirected(redirect, arguments, home: home)
            #expect(result.finished && result.signal == nil, "\(result.summary)")
            #expect(result.exitStatus == (arguments[1].hasSuffix("missing") ? 2 : 0), "\(result.summary)")
        }
        #expect(FileManager.default.fileExists(atPath: out + "/migration-plan.md"))
    }

    // MARK: Settings, templates and reports: bounded reads

    /// A 1 GiB sparse `.coord-migrate.yaml` (it takes no disk space) in the tree.
    @Test("a 1 GiB .coord-migrate.yaml in the tree is refused at once: exit 2 naming it, its size and the limit")
    func hugeProjectFile() throws {
        let box = try HostileSandbox("huge-project")
        let home = try box.dir("home")
        try box.file("t/inbox/agent/m.msg", "x")
        try box.sparse("t/.coord-migrate.yaml", size: 1 << 30, prefix: Array("formats: [json]\n".utf8))
        let started = Date()
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--output", "-", "--now", fixedNowText], home: home,
            timeout: 60, memoryLimitKiB: 512 * 1024)
        let elapsed = Date().timeIntervalSince(started)
        let line = soleError(result)
        for word in [".coord-migrate.yaml", "1,073,741,824 bytes", "1 MiB"] {
            #expect(line?.contains(word) == true, "\(word): \(result.stderrText)")
        }
        #expect(elapsed < 5, "took \(elapsed) s")
        #expect(result.maxRSSKiB < 100 * 1024, "peak memory \(result.maxRSSKiB) KiB")
    }

    static let fileFlags = ["--policy", "--rules", "--config", "--template", "--html-template"]

    @Test("a 2 GiB file passed to a flag is refused at once: exit 2 naming it, its size and the limit", arguments: fileFlags)
    func hugeFlagFile(_ flag: String) throws {
        let box = try HostileSandbox("huge-flag")
        let home = try box.dir("home")
        try box.file("t/inbox/agent/m.msg", "x")
        let file = try box.sparse("big.yaml", size: 2 << 30)
        let started = Date()
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html", "--output-dir", try box.dir("out"), "--now", fixedNowText,
             flag, file],
            home: home, timeout: 60, memoryLimitKiB: 512 * 1024)
        let elapsed = Date().timeIntervalSince(started)
        let line = soleError(result)
        for word in [file, "2,147,483,648 bytes", "1 MiB"] {
            #expect(line?.contains(word) == true, "\(word): \(result.stderrText)")
        }
        #expect(elapsed < 5, "took \(elapsed) s")
        #expect(result.maxRSSKiB < 100 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        #expect(box.find(named: "migration-plan.md").isEmpty, "nothing written")
    }

    @Test("a FIFO passed to a flag, or as the tree's .coord-migrate.yaml, is refused without waiting for a writer",
          arguments: fileFlags + [".coord-migrate.yaml"])
    func fifoFile(_ flag: String) throws {
        let box = try HostileSandbox("fifo-flag")
        let home = try box.dir("home")
        try box.file("t/inbox/agent/m.msg", "x")
        var arguments = ["--path", box.absolute("t"), "--output", "-", "--now", fixedNowText]
        if flag.hasPrefix("--") {
            arguments += [flag, try box.fifo("settings.fifo")]
        } else {
            try box.fifo("t/" + flag)
        }
        let result = try HostileTool.run(arguments, home: home, timeout: 30)
        let line = soleError(result)
        #expect(line?.contains(flag.hasPrefix("--") ? "settings.fifo" : flag) == true, "\(result.stderrText)")
        #expect(line?.contains("regular file") == true, "\(result.stderrText)")
    }

    @Test("a .coord-migrate.yaml in the tree that is a symbolic link out of it is never opened: exit 2 saying so")
    func symlinkedProjectFile() throws {
        let box = try HostileSandbox("link-project")
        let home = try box.dir("home")
        try box.file("t/inbox/agent/m.msg", "x")
        let outside = try box.file("outside/settings.yaml", "formats: [json]\n")
        try box.symlink("t/.coord-migrate.yaml", to: outside)
        let watch = try HostileOpenWatch()
        try watch.watch(outside)
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--output", "-", "--now", fixedNowText], home: home, timeout: 60)
        let line = soleError(result)
        #expect(line?.contains(".coord-migrate.yaml") == true && line?.contains("symbolic link") == true, "\(result.stderrText)")
        #expect(line?.contains("--config") == true, "says how to use it anyway: \(result.stderrText)")
        #expect(watch.touched().isEmpty, "the file outside the tree was opened")

        // Named with --config, the same link is the user's choice and is followed.
        let named = try HostileTool.run(
            ["--path", box.absolute("t"), "--config", box.absolute("t/.coord-migrate.yaml"), "--output", "-",
             "--now", fixedNowText, "--quiet"],
            home: home, timeout: 60)
        #expect(named.finished && named.exitStatus == 0, "\(named.summary)")
        #expect((try? MigrationReport.decode(named.stdout)) != nil, "the json format from the linked file was used")
    }

    // MARK: Users' templates

    struct TemplateCase: Sendable, CustomTestStringConvertible {
        var flag: String
        var render: Bool
        var testDescription: String { render ? "render \(flag)" : flag }
    }

    static let templateCases = [
        TemplateCase(flag: "--template", render: false), TemplateCase(flag: "--html-template", render: false),
        TemplateCase(flag: "--template", render: true), TemplateCase(flag: "--html-template", render: true),
    ]

    /// The run for a template case: analyze with the flag, or render a saved report.
    /// A template that parses is rendered after the panels are printed: `quiet` leaves them out.
    private static func templateRun(
        _ row: TemplateCase, template: String, box: HostileSandbox, home: String, quiet: Bool = false
    ) throws -> [String] {
        if row.render {
            let report = try savedReport(box, "report.json", home: home)
            let format = row.flag == "--template" ? "md" : "html"
            return ["render", report, "--format", format, row.flag, template, "--output", box.absolute("out/plan.\(format)")]
        }
        let tree = sampleURL("agent-bridge").path
        return ["--path", tree, "--format", "md,html", "--output-dir", try box.dir("out"), "--now", fixedNowText, row.flag, template]
            + (quiet ? ["--quiet"] : [])
    }

    @Test("a template 3000 sections deep (which overflowed the parser's stack): exit 2 naming the limit", arguments: templateCases)
    func deepTemplate(_ row: TemplateCase) throws {
        let box = try HostileSandbox("deep-template")
        let home = try box.dir("home")
        let template = try box.file("deep.mustache", String(repeating: "{{#a}}", count: 3000) + String(repeating: "{{/a}}", count: 3000))
        let result = try HostileTool.run(try Self.templateRun(row, template: template, box: box, home: home), home: home, timeout: 60)
        let line = soleError(result)
        #expect(line?.contains("more than 64 levels deep") == true, "\(result.stderrText)")
        #expect(box.find(named: "plan.html").isEmpty && box.find(named: "migration-plan.md").isEmpty, "nothing written")
    }

    @Test("a template of 80,000 tags (parsed in quadratic time): exit 2 at once, naming the limit", arguments: templateCases)
    func manyTagsTemplate(_ row: TemplateCase) throws {
        let box = try HostileSandbox("tags-template")
        let home = try box.dir("home")
        let template = try box.file("tags.mustache", String(repeating: "{{a}}", count: 80_000))
        let started = Date()
        let result = try HostileTool.run(try Self.templateRun(row, template: template, box: box, home: home), home: home, timeout: 30)
        let line = soleError(result)
        #expect(line?.contains("more than 20,000 tags") == true, "\(result.stderrText)")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("ten nested {{#steps}} sections (days of work): stopped at the 10 s render budget, exit 2 saying so",
          arguments: templateCases)
    func slowTemplate(_ row: TemplateCase) throws {
        let box = try HostileSandbox("slow-template")
        let home = try box.dir("home")
        let template = try box.file(
            "slow.mustache", String(repeating: "{{#steps}}", count: 10) + "{{number}}" + String(repeating: "{{/steps}}", count: 10) + "\n")
        let arguments = try Self.templateRun(row, template: template, box: box, home: home, quiet: true)
        let started = Date()
        let result = try HostileTool.run(arguments, home: home, timeout: 60, memoryLimitKiB: 1024 * 1024)
        let elapsed = Date().timeIntervalSince(started)
        let line = soleError(result)
        #expect(line?.contains("longer than 10 s to render") == true, "\(result.stderrText)")
        #expect(elapsed < 25, "took \(elapsed) s")
        #expect(result.maxRSSKiB < 200 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        #expect(box.find(named: "plan.html").isEmpty && box.find(named: "migration-plan.md").isEmpty, "nothing written")
    }

    @Test("a template whose output passes 64 MiB (100 KB of text in four nested {{#steps}}): exit 2 saying so",
          arguments: templateCases)
    func bulkyTemplate(_ row: TemplateCase) throws {
        let box = try HostileSandbox("bulky-template")
        let home = try box.dir("home")
        let template = try box.file(
            "bulky.mustache",
            String(repeating: "{{#steps}}", count: 4) + String(repeating: "x", count: 100_000) + String(repeating: "{{/steps}}", count: 4))
        let arguments = try Self.templateRun(row, template: template, box: box, home: home, quiet: true)
        let result = try HostileTool.run(arguments, home: home, timeout: 60, memoryLimitKiB: 1024 * 1024)
        let line = soleError(result)
        #expect(line?.contains("more than 64 MiB") == true, "\(result.stderrText)")
        #expect(result.maxRSSKiB < 512 * 1024, "peak memory \(result.maxRSSKiB) KiB")
    }

    // MARK: Custom rules

    @Test("a rule whose regex backtracks without end ((a+)+ on 2000 lines of aaa…b) stops at its 2 s budget with a warning naming it",
          arguments: ["content", "file_name"])
    func backtrackingRule(_ condition: String) throws {
        let box = try HostileSandbox("regex")
        let home = try box.dir("home")
        try box.file("t/inbox/agent/m.msg", "x")
        let line = String(repeating: "a", count: 30) + "b"
        if condition == "content" {
            try box.file("t/notes.txt", Array(repeating: line, count: 2000).joined(separator: "\n") + "\n")
        } else {
            for index in 0..<100 { try box.file("t/names/\(index)/" + line, "x") }
        }
        let test = condition == "content" ? "content: { glob: \"*.txt\", regex: '^(a+)+$' }" : "file_name: '^(a+)+$'"
        let rules = try box.file("rules.yaml", """
            rules:
              - id: backtracker
                when:
                  any:
                    - \(test)
              - id: plain-rule
                when:
                  any:
                    - \(condition == "content" ? "content: { glob: \"*.txt\", regex: 'b$' }" : "file_name: 'b$'")
            """)
        let started = Date()
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--rules", rules, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            home: home, timeout: 90)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.finished && result.exitStatus == 0, "\(result.summary)")
        #expect(elapsed < 10, "took \(elapsed) s")
        let report = try MigrationReport.decode(result.stdout)
        let warnings = report.detection.warnings.filter { $0.message.contains("'backtracker'") }
        #expect(warnings.count == 1, "\(report.detection.warnings)")
        #expect(warnings.first?.message.contains("may be incomplete") == true, "\(warnings)")
        #expect(!report.detection.warnings.contains { $0.message.contains("plain-rule") }, "the other rule kept its own budget")
        #expect(report.detection.customPatterns.first { $0.id == "plain-rule" }?.present == true)
    }

    @Test("render and diff refuse a report over 64 MiB at once (a 1 GiB sparse file, and one byte over the limit)",
          arguments: [("render", Int64(1) << 30), ("diff", Int64(1) << 30), ("render", Int64(64 << 20) + 1), ("diff", Int64(64 << 20) + 1)])
    func hugeReport(_ command: String, _ size: Int64) throws {
        let box = try HostileSandbox("huge-report")
        let home = try box.dir("home")
        let good = try savedReport(box, "good.json", home: home)
        let big = try box.sparse("big.json", size: size, prefix: Array("{".utf8))
        let arguments = command == "render" ? ["render", big, "--output", box.absolute("out.md")] : ["diff", good, big]
        let started = Date()
        let result = try HostileTool.run(arguments, home: home, timeout: 60, memoryLimitKiB: 512 * 1024)
        let elapsed = Date().timeIntervalSince(started)
        let line = soleError(result)
        for word in [big, groupedDigits(size) + " bytes", "64 MiB"] {
            #expect(line?.contains(word) == true, "\(word): \(result.stderrText)")
        }
        #expect(elapsed < 5, "took \(elapsed) s")
        #expect(result.maxRSSKiB < 100 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        #expect(!FileManager.default.fileExists(atPath: box.absolute("out.md")))
    }

    @Test("render --help and diff --help state the report size limit")
    func reportLimitInHelp() throws {
        for command in ["render", "diff"] {
            let result = try CLI.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("64 MiB"), "\(command) --help: \(result.stdoutText)")
        }
    }
}

/// 1073741824 → "1,073,741,824", as the tool writes sizes.
private func groupedDigits(_ value: Int64) -> String {
    let digits = Array(String(value))
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return out
}

#endif
