import CoordMigrateTestSupport
import Foundation
import Testing

/// `render` takes what `analyze` takes (several formats, --output-dir, --html-template)
/// and says where it wrote; `diff --format json` writes numbers and matches its schema.
@Suite("render and diff options")
struct RenderAndDiffTests {
    /// A saved JSON report of `sample`, and the same run's reports in `formats`.
    private static func analyse(_ sample: String, into scratch: Scratch, formats: String = "json") throws -> String {
        let folder = scratch.absolute("analysed-\(sample)")
        let run = try CLI.run([
            sampleURL(sample).path, "-f", formats, "--output-dir", folder, "--now", fixedNowText, "-q",
        ])
        try #require(run.status == 0, "\(run.stderr)")
        return folder
    }

    @Test("render -f md,html,junit,sarif --output-dir creates the folder, writes what analyze wrote, byte for byte, and names the files")
    func renderSeveralFormats() throws {
        let scratch = try Scratch("render-set")
        let analysed = try Self.analyse("agent-bridge", into: scratch, formats: "json,md,html,junit,sarif")
        let out = scratch.absolute("rendered/nested")
        let run = try CLI.run(["render", analysed + "/migration-plan.json", "-f", "md,html", "-f", "junit,sarif", "--output-dir", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let names = ["migration-plan.md", "migration-plan.html", "migration-plan.xml", "migration-plan.sarif"]
        for name in names {
            let rendered = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
            let original = try Data(contentsOf: URL(fileURLWithPath: analysed + "/" + name))
            #expect(rendered == original, "\(name) differs from analyze's")
        }
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("Wrote "))
        for name in names { #expect(run.stderr.contains(out + "/" + name), "\(run.stderr)") }
        let document = try Consumer.html(out + "/migration-plan.html")
        #expect(document.h1 == 1)
        try Consumer.junit(out + "/migration-plan.xml").expectTrueCounts()

        let quiet = try CLI.run(["render", analysed + "/migration-plan.json", "-f", "md", "--output-dir", out, "-q"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test("render --html-template uses the template for HTML only; --output with several formats is refused before anything is written")
    func renderTemplatesAndRefusals() throws {
        let scratch = try Scratch("render-template")
        let analysed = try Self.analyse("agent-bridge", into: scratch)
        let template = try scratch.file("page.mustache", "<html><body><h1>HOUSE {{title}}</h1></body></html>\n")
        let out = scratch.absolute("out")
        let run = try CLI.run([
            "render", analysed + "/migration-plan.json", "-f", "html,md", "--html-template", template, "--output-dir", out, "-q",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try Consumer.html(out + "/migration-plan.html")
        #expect(html.text.contains("HOUSE"), "\(html.text)")
        let markdown = try String(contentsOfFile: out + "/migration-plan.md", encoding: .utf8)
        #expect(!markdown.contains("HOUSE"))

        let refused = try CLI.run(["render", analysed + "/migration-plan.json", "-f", "md,html", "-o", scratch.absolute("new/plan.md")])
        #expect(refused.status == 2)
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("--output-dir"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.absolute("new")))
    }

    /// Validates `document` against schemas/report-diff.schema.json with Python's jsonschema.
    private static func validateDiff(_ document: URL) throws -> (status: Int32, output: String) {
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            errors = list(Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2], encoding="utf-8"))))
            for error in errors:
                print(error.json_path + ": " + error.message)
            sys.exit(1 if errors else 0)
            """
        let schema = packageRoot.appendingPathComponent("schemas/report-diff.schema.json").path
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, schema, document.path],
            environment: ProcessInfo.processInfo.environment)
        return (result.status, result.stdoutText + result.stderr)
    }

    @Test("diff -f json writes hours and gaps as numbers and matches schemas/report-diff.schema.json; hours as text do not")
    func diffJSONSchema() throws {
        let scratch = try Scratch("diff-schema")
        let old = try Self.analyse("agent-bridge", into: scratch) + "/migration-plan.json"
        let new = try Self.analyse("enterprise-workflow", into: scratch) + "/migration-plan.json"
        let output = scratch.url.appendingPathComponent("diff.json")
        let run = try CLI.run(["diff", old, new, "-f", "json", "-o", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        let valid = try Self.validateDiff(output)
        #expect(valid.status == 0, "\(valid.output)")

        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        var changes = try #require(root["changes"] as? [[String: Any]])
        let hours = try #require(changes.firstIndex { $0["field"] as? String == "hours" })
        let gaps = try #require(changes.first { $0["field"] as? String == "gaps" })
        for change in [changes[hours], gaps] {
            for side in ["old", "new"] {
                #expect(change[side] is NSNumber && !(change[side] is String), "\(change)")
            }
        }
        #expect(changes[hours]["old"] as? Int == 6)
        changes[hours]["old"] = "6"
        root["changes"] = changes
        let drifted = scratch.url.appendingPathComponent("drifted.json")
        try JSONSerialization.data(withJSONObject: root).write(to: drifted)
        let refused = try Self.validateDiff(drifted)
        #expect(refused.status == 1, "the schema must refuse hours written as text: \(refused.output)")
    }

    @Test("diff warns on stderr (and in the Markdown) when the reports describe different folders, not when they describe the same")
    func diffTargetPaths() throws {
        let scratch = try Scratch("diff-targets")
        let a = try Self.analyse("agent-bridge", into: scratch) + "/migration-plan.json"
        let b = try Self.analyse("my-scripts", into: scratch) + "/migration-plan.json"
        let differ = try CLI.run(["diff", a, b])
        #expect(differ.status == 0, "\(differ.stderr)")
        #expect(differ.stderrLines.count == 1, "\(differ.stderr)")
        #expect(differ.stderr.hasPrefix("warning: the reports describe different folders"))
        #expect(differ.stderr.contains(sampleURL("agent-bridge").path) && differ.stderr.contains(sampleURL("my-scripts").path))
        #expect(differ.stdoutText.contains("**Note:** The reports describe different folders"), "\(differ.stdoutText)")

        let same = try CLI.run(["diff", a, a])
        #expect(same.status == 0)
        #expect(same.stderr.isEmpty, "\(same.stderr)")
        #expect(!same.stdoutText.contains("different folders"))
    }

    @Test("diff --help names each default once")
    func diffHelpDefaults() throws {
        let run = try CLI.run(["diff", "--help"])
        #expect(run.status == 0)
        let help = run.stdoutText
        #expect(help.components(separatedBy: "default").count - 1 == 2, "\(help)")
        #expect(help.contains("(default: md)") && help.contains("(default: -)"), "\(help)")
    }
}
