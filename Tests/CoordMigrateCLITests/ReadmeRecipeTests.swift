import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// The documented CI recipes work on their first run: every `coord-migrate` command of
/// the "In CI" and "The baseline workflow" sections, as written, run in order in a
/// fresh folder holding a system (with the built binary on PATH).
@Suite("Documented CI recipes, as written")
struct ReadmeRecipeTests {
    /// The page (README.md or one of `docs/`) that holds a section `heading`, and its lines.
    static func page(holding heading: String) throws -> (url: URL, lines: [String])? {
        let docs = packageRoot.appendingPathComponent("docs")
        let pages = [packageRoot.appendingPathComponent("README.md")]
            + (try FileManager.default.contentsOfDirectory(atPath: docs.path)).filter { $0.hasSuffix(".md") }.sorted()
            .map { docs.appendingPathComponent($0) }
        for url in pages {
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            if lines.contains(heading) { return (url, lines) }
        }
        return nil
    }

    /// The `coord-migrate …` command lines of a documentation section, in order: shell lines and
    /// YAML `run:` or `- ` script lines, with a path to a built binary reduced to its name.
    static func commands(inSection heading: String) throws -> [String] {
        guard let lines = try page(holding: heading)?.lines, let start = lines.firstIndex(of: heading) else { return [] }
        let level = heading.prefix { $0 == "#" }.count
        var end = lines.count
        for index in (start + 1)..<lines.count {
            let line = lines[index]
            let hashes = line.prefix { $0 == "#" }.count
            if hashes > 0, hashes <= level, line.dropFirst(hashes).hasPrefix(" ") {
                end = index
                break
            }
        }
        var commands: [String] = []
        var inCode = false
        for line in lines[(start + 1)..<end] {
            if line.hasPrefix("```") {
                inCode.toggle()
                continue
            }
            guard inCode else { continue }
            var text = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["- run: ", "run: ", "- "] where text.hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
                break
            }
            if let range = text.range(of: "tools/coord-migrate/.build/release/coord-migrate") {
                text.replaceSubrange(range, with: "coord-migrate")
            }
            guard text.hasPrefix("coord-migrate ") else { continue }
            // A trailing `# …` is a shell comment.
            if let comment = text.range(of: "   # ") { text = String(text[..<comment.lowerBound]) }
            commands.append(text)
        }
        return commands
    }

    @Test("every command of the CI sections runs, in order, on the first try", arguments: ["### In CI", "### The baseline workflow"])
    func recipes(_ section: String) throws {
        let commands = try Self.commands(inSection: section)
        #expect(commands.count >= 2, "the documented section \(section) lost its commands")
        let scratch = try Scratch("readme")
        let work = scratch.absolute("repo")
        try FileManager.default.copyItem(atPath: sampleURL("agent-bridge").path, toPath: work)
        let binaryFolder = try CLI.requireBinary().deletingLastPathComponent().path
        for command in commands {
            let result = try runShell(
                command, environment: ["PATH": "\(binaryFolder):/usr/bin:/bin", "HOME": scratch.path, "LANG": "C.UTF-8"],
                in: work)
            #expect(result.status == 0, "\(section): `\(command)` exited \(result.status): \(result.stderr)")
        }
    }

    /// What the YAML blocks of a README section hand on: read with PyYAML, the files the
    /// GitHub workflow's upload-sarif, JUnit report and artifact steps name, and the GitLab
    /// job's artifact paths and JUnit report.
    struct HandedOn: Decodable {
        var workflows: Int
        var gitlabJobs: Int
        var securityEventsWrite: [Bool]
        var sarif: [String]
        var junit: [String]
        var paths: [String]
    }

    static let handedOnScript = #"""
        import json, sys, yaml
        lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
        start = lines.index(sys.argv[2])
        level = len(sys.argv[2]) - len(sys.argv[2].lstrip("#"))
        body = []
        for line in lines[start + 1:]:
            hashes = len(line) - len(line.lstrip("#"))
            if 0 < hashes <= level and line[hashes:].startswith(" "):
                break
            body.append(line)
        blocks, current = [], None
        for line in body:
            if current is None and line.startswith("```yaml"):
                current = []
            elif current is not None and line.startswith("```"):
                blocks.append("\n".join(current))
                current = None
            elif current is not None:
                current.append(line)
        out = {"workflows": 0, "gitlabJobs": 0, "securityEventsWrite": [], "sarif": [], "junit": [], "paths": []}
        for block in blocks:
            document = yaml.safe_load(block)
            if "jobs" in document:
                out["workflows"] += 1
                out["securityEventsWrite"].append(document.get("permissions", {}).get("security-events") == "write")
                for job in document["jobs"].values():
                    for step in job["steps"]:
                        uses, given = step.get("uses", ""), step.get("with", {})
                        if uses.startswith("github/codeql-action/upload-sarif@"):
                            out["sarif"].append(given["sarif_file"])
                        elif uses.startswith("mikepenz/action-junit-report@"):
                            out["junit"].append(given["report_paths"])
                        elif uses.startswith("actions/upload-artifact@"):
                            out["paths"].append(given["path"])
            else:
                for job in document.values():
                    out["gitlabJobs"] += 1
                    artifacts = job.get("artifacts", {})
                    out["paths"] += artifacts.get("paths", [])
                    junit = artifacts.get("reports", {}).get("junit")
                    if junit:
                        out["junit"].append(junit)
        print(json.dumps(out))
        """#

    @Test("the In CI workflows hand on files that exist and are valid, annotations that decode and a job summary")
    func handedOnFiles() throws {
        let section = "### In CI"
        let page = try #require(try Self.page(holding: section), "no page holds \(section)")
        let handedOn = try Consumer.python(HandedOn.self, Self.handedOnScript, [page.url.path, section])
        #expect(handedOn.workflows == 1 && handedOn.gitlabJobs == 1, "one GitHub workflow and one GitLab job")
        #expect(handedOn.securityEventsWrite == [true], "upload-sarif needs security-events: write")
        #expect(handedOn.sarif == ["reports/migration-plan.sarif"])
        #expect(!handedOn.junit.isEmpty && !handedOn.paths.isEmpty)

        let scratch = try Scratch("readme-ci")
        let work = scratch.absolute("repo")
        try FileManager.default.copyItem(atPath: sampleURL("agent-bridge").path, toPath: work)
        let summary = try scratch.file("step-summary.md", "## An earlier step\n")
        let binaryFolder = try CLI.requireBinary().deletingLastPathComponent().path
        var annotations = Data()
        let commands = try Self.commands(inSection: section)
        #expect(commands.contains { $0.contains("--format github") }, "the workflow prints annotations")
        for command in commands {
            let result = try runShell(
                command,
                environment: ["PATH": "\(binaryFolder):/usr/bin:/bin", "HOME": scratch.path, "LANG": "C.UTF-8", "GITHUB_STEP_SUMMARY": summary],
                in: work)
            #expect(result.status == 0, "`\(command)` exited \(result.status): \(result.stderr)")
            if command.contains("--format github") { annotations.append(result.stdout) }
        }
        try SARIFSchema.expectValid(handedOn.sarif.map { work + "/" + $0 })
        for file in handedOn.junit {
            try Consumer.xmllint(work + "/" + file)
            try Consumer.junit(work + "/" + file).expectTrueCounts()
        }
        for path in handedOn.paths {
            #expect(FileManager.default.fileExists(atPath: work + "/" + path), "\(path) is handed on but was not written")
        }
        let annotationFile = scratch.absolute("annotations.txt")
        try annotations.write(to: URL(fileURLWithPath: annotationFile))
        let decoded = try WorkflowCommand.decode(annotationFile)
        #expect(!decoded.isEmpty && decoded.allSatisfy { ["error", "warning", "notice"].contains($0.command) }, "\(decoded)")
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("## An earlier step\n") && text.contains("## Migration readiness"), "\(text)")
    }
}
