import CoordMigrateTestSupport
import Foundation
import Testing

@testable import CoordMigrate

/// `--discover`: one report per coordination system found below a folder that is none itself.
@Suite("Discovering every nested system")
struct DiscoverEndToEndTests {
    /// A monorepo holding two systems, and a script at its root that drives one of them.
    static func monorepo(_ scratch: Scratch) throws -> String {
        _ = try scratch.dir("repo/bridge/inbox/planner")
        _ = try scratch.file("repo/bridge/inbox/coder/2026-11-20-planner-550e8400-e29b-41d4-a716-446655440000.md", "do it\n")
        _ = try scratch.file("repo/bridge/events.log", "sent\n")
        _ = try scratch.dir("repo/ops/mailboxes/alpha/new")
        _ = try scratch.dir("repo/ops/mailboxes/beta/cur")
        _ = try scratch.file("repo/ops/agents.yaml", "agents:\n  alpha: {}\n  beta: {}\n")
        _ = try scratch.file("repo/src/app.py", "print('not a system')\n")
        _ = try scratch.file(
            "repo/scripts/send.sh", "for i in 1 2 3; do\n  cp msg bridge/inbox/$to/ && break\n  sleep $i # retry\ndone\n")
        return scratch.absolute("repo")
    }

    @Test("each candidate gets its own reports, named after its folder, each saying how it was found")
    func eachCandidate() throws {
        let scratch = try Scratch("discover")
        let repo = try Self.monorepo(scratch)
        let out = try scratch.dir("out")
        let result = try CLI.run([
            "--path", repo, "--discover", "--format", "md,json", "--output-dir", out, "--quiet",
            "--now", fixedNowText,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == [
            "migration-plan.bridge.json", "migration-plan.bridge.md", "migration-plan.ops.json", "migration-plan.ops.md",
        ])
        for (name, folder) in [("bridge", "bridge/"), ("ops", "ops/")] {
            let report = try MigrationReport.decode(Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.\(name).json")))
            #expect(report.targetPath == repo + "/" + name)
            #expect(report.detection.discovery?.chosen == folder)
            #expect(report.detection.discovery?.candidates.map(\.path).sorted() == ["bridge/", "ops/"])
            #expect(report.detection.hasMessageSystem)
            let markdown = try String(contentsOfFile: out + "/migration-plan.\(name).md", encoding: .utf8)
            #expect(markdown.contains("Nested system"))
        }
        let bridge = try MigrationReport.decode(Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.bridge.json")))
        #expect(bridge.detection.evidence.contains { $0.kind == .code && $0.path == "../scripts/send.sh" })
    }

    @Test("without --discover only the strongest candidate is analysed")
    func strongestOnly() throws {
        let scratch = try Scratch("discover-one")
        let repo = try Self.monorepo(scratch)
        let out = try scratch.dir("out")
        let result = try CLI.run(["--path", repo, "--format", "json", "--output-dir", out, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["migration-plan.json"])
        let report = try MigrationReport.decode(Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.json")))
        let strongest = try #require(report.detection.discovery?.candidates.first)
        #expect(report.detection.discovery?.chosen == strongest.path)
    }

    @Test("--discover with several systems refuses --output, before writing anything")
    func refusesSingleOutput() throws {
        let scratch = try Scratch("discover-output")
        let repo = try Self.monorepo(scratch)
        let result = try CLI.run(["--path", repo, "--discover", "--output", scratch.absolute("plan.md"), "--quiet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--output-dir"))
        #expect(!FileManager.default.fileExists(atPath: scratch.absolute("plan.md")))
    }

    @Test("--discover on a folder that is a system itself writes the one ordinary report")
    func rootIsASystem() throws {
        let scratch = try Scratch("discover-root")
        let out = try scratch.dir("out")
        let result = try CLI.run([
            "--path", sampleURL("agent-bridge").path, "--discover", "--format", "json", "--output-dir", out, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["migration-plan.json"])
    }
}

/// A baseline written before the later keys of schema version 1 existed still diffs.
@Suite("Older reports of the same schema version")
struct OlderReportTests {
    @Test("a report without gates, skipped_patterns and custom_patterns is read and diffed")
    func olderReportDiffs() throws {
        let scratch = try Scratch("older")
        let new = scratch.absolute("new.json")
        let made = try CLI.run([
            "--path", sampleURL("agent-bridge").path, "--format", "json", "--output", new, "--quiet",
            "--now", fixedNowText,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: new))) as? [String: Any])
        object["gates"] = nil
        var detection = try #require(object["detection"] as? [String: Any])
        detection["skipped_patterns"] = nil
        detection["custom_patterns"] = nil
        object["detection"] = detection
        let old = scratch.absolute("old.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: old))

        let decoded = try MigrationReport.decode(Data(contentsOf: URL(fileURLWithPath: old)))
        #expect(decoded.gates.isEmpty)
        #expect(decoded.detection.skippedPatterns.isEmpty)
        #expect(decoded.detection.customPatterns.isEmpty)
        #expect(decoded.detection.gaps.map(\.rawValue) == ["priority-queue", "defer-queue"])

        let diff = try CLI.run(["diff", old, new, "--format", "json", "--fail-on-regression"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let result = try #require(JSONSerialization.jsonObject(with: diff.stdout) as? [String: Any])
        #expect(result["regressions"] as? [String] == [])
    }
}
