@testable import CoordMigrateEmit
import CoordMigrateTestSupport
import Foundation
import Testing

/// `coord-migrate map`, each format read by something other than the tool: the JSON by
/// jsonschema against the report schema's `systemMap`, the DOT by Graphviz, the Markdown
/// by cmark, the Mermaid by its grammar's first rules.
@Suite("map command")
struct MapCommandTests {
    static func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments, environment: ProcessInfo.processInfo.environment)
    }

    @Test("--format json is the report's system_map: it validates against the schema and equals the analysis's map")
    func json() throws {
        let sample = sampleURL("agent-bridge").path
        let result = try CLI.run(["map", sample, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let scratch = try Scratch("map-json")
        let mapFile = scratch.url.appendingPathComponent("map.json")
        try result.stdout.write(to: mapFile)
        let reportFile = scratch.url.appendingPathComponent("report.json")
        let report = try CLI.run(["--path", sample, "--format", "json", "--output", reportFile.path, "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            sub = dict(schema["$defs"]["systemMap"]); sub["$defs"] = schema["$defs"]
            doc = json.load(open(sys.argv[2], encoding="utf-8"))
            errors = [e.json_path + ": " + e.message for e in Draft202012Validator(sub).iter_errors(doc)]
            report = json.load(open(sys.argv[3], encoding="utf-8"))
            if report["detection"]["system_map"] != doc: errors.append("map differs from the report's system_map")
            if not any(n["kind"] == "program" for n in doc["nodes"]): errors.append("no program")
            print("\\n".join(errors)); sys.exit(1 if errors else 0)
            """
        let check = try Self.python(script, [packageRoot.appendingPathComponent("schemas/migration-report.schema.json").path, mapFile.path, reportFile.path])
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderr)")
    }

    @Test("--format dot is a digraph Graphviz lays out, one node per map node")
    func dot() throws {
        let result = try CLI.run(["map", sampleURL("queue-lanes").path, "--format", "dot"])
        #expect(result.status == 0, "\(result.stderr)")
        let dot = try #require(["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) },
                               "Graphviz's dot reads the DOT output; scripts/deps.sh test installs it")
        let scratch = try Scratch("map-dot")
        let input = scratch.url.appendingPathComponent("map.dot")
        try result.stdout.write(to: input)
        let svg = try runProcess(URL(fileURLWithPath: dot), ["-Tsvg", input.path], environment: [:])
        #expect(svg.status == 0, "\(svg.stderr)")
        let drawn = svg.stdoutText.components(separatedBy: "class=\"node\"").count - 1
        let json = try CLI.run(["map", sampleURL("queue-lanes").path, "--format", "json"])
        let map = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(drawn == (map["nodes"] as? [Any])?.count)
        #expect(drawn > 5)
    }

    @Test("the default Markdown: libcmark reads one heading and a mermaid block; the program table and the flowchart hold together")
    func markdown() throws {
        let result = try CLI.run(["map", "--path", sampleURL("agent-bridge").path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdoutText
        // libcmark reads it: one level-1 heading, and the diagram as a code block marked mermaid.
        let html = CommonMark.html(text)
        #expect(html.components(separatedBy: "<h1>").count == 2)
        #expect(html.contains("<pre><code class=\"language-mermaid\">flowchart LR"))
        #expect(text.contains("| `scripts/message.sh` |"))
        let mermaid = text.components(separatedBy: "```mermaid\n")[1].components(separatedBy: "\n```")[0].split(separator: "\n")
        #expect(mermaid.first == "flowchart LR")
        // Every line after the first declares a node or an edge between declared nodes.
        let declared = Set(mermaid.dropFirst().compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let id = trimmed.split(separator: "[").first ?? trimmed.split(separator: "(").first, !trimmed.contains("-->"), !trimmed.contains("-.->") else { return nil }
            return String(id.split(separator: "(").first ?? id)
        })
        for line in mermaid.dropFirst() where line.contains("->") {
            let ends = line.split(separator: " ").filter { $0.hasPrefix("n") && $0.dropFirst().allSatisfy(\.isNumber) }.map(String.init)
            #expect(ends.count == 2 && ends.allSatisfy(declared.contains), "\(line)")
        }
    }

    @Test("--output writes the file and says so; a missing folder is one line and exit 2")
    func outputAndErrors() throws {
        let scratch = try Scratch("map-out")
        let file = scratch.url.appendingPathComponent("map.mmd")
        let written = try CLI.run(["map", sampleURL("maildir-agents").path, "--format", "mermaid", "-o", file.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("map.mmd"))
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("flowchart LR\n"))
        let missing = try CLI.run(["map", scratch.url.appendingPathComponent("nope").path])
        #expect(missing.status == 2)
        #expect(missing.stderrLines.count == 1, "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
    }

    @Test("an empty folder has an empty map, said plainly")
    func empty() throws {
        let scratch = try Scratch("map-empty")
        let result = try CLI.run(["map", scratch.path])
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("No agents, channels or programs"))
    }

    @Test("a report written before the map renders without a diagram and diffs without map_changes; two with maps diff their maps")
    func reportsWithoutAMap() throws {
        let scratch = try Scratch("map-old")
        let new = scratch.url.appendingPathComponent("new.json")
        let made = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", new.path, "--quiet", "--now", "2025-11-25T08:00:00Z"])
        #expect(made.status == 0, "\(made.stderr)")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: new)) as? [String: Any])
        var detection = try #require(document["detection"] as? [String: Any])
        detection["system_map"] = nil
        document["detection"] = detection
        let old = scratch.url.appendingPathComponent("old.json")
        try JSONSerialization.data(withJSONObject: document).write(to: old)

        let html = scratch.url.appendingPathComponent("old.html")
        let rendered = try CLI.run(["render", old.path, "--format", "html", "--output", html.path, "--quiet"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(!(try String(contentsOf: html, encoding: .utf8)).contains("<figure class=\"system-map\">"))

        let withoutMap = try CLI.run(["diff", old.path, new.path, "--format", "json"])
        #expect(withoutMap.status == 0, "\(withoutMap.stderr)")
        let first = try #require(try JSONSerialization.jsonObject(with: withoutMap.stdout) as? [String: Any])
        #expect(first["map_changes"] == nil)
        let same = try CLI.run(["diff", new.path, new.path, "--format", "json"])
        let second = try #require(try JSONSerialization.jsonObject(with: same.stdout) as? [String: Any])
        let changes = try #require(second["map_changes"] as? [String: Any])
        #expect(changes.count == 7 && changes["partial"] as? Bool == false)
        #expect(changes.values.compactMap { $0 as? [String] }.count == 6 && changes.values.compactMap { $0 as? [String] }.allSatisfy(\.isEmpty))
    }

    @Test("map sees the system analyze sees: the project file's excludes and --exclude leave programs out")
    func excludes() throws {
        let tree = try Scratch("map-excludes")
        let root = tree.url
        try FileManager.default.createDirectory(at: root.appendingPathComponent("vendor"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tools"), withIntermediateDirectories: true)
        try "#!/bin/sh\necho x >> events.log\n".write(to: root.appendingPathComponent("vendor/log.sh"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho x >> events.log\n".write(to: root.appendingPathComponent("tools/log.sh"), atomically: true, encoding: .utf8)
        try "x\n".write(to: root.appendingPathComponent("events.log"), atomically: true, encoding: .utf8)
        func programs(_ extra: [String]) throws -> [String] {
            let result = try CLI.run(["map", root.path, "--format", "json"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let map = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
            return (map["nodes"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "program" }.compactMap { $0["label"] as? String }.sorted()
        }
        #expect(try programs([]) == ["tools/log.sh", "vendor/log.sh"])
        #expect(try programs(["--exclude", "vendor"]) == ["tools/log.sh"])
        try "exclude: [tools]\n".write(to: root.appendingPathComponent(".coord-migrate.yaml"), atomically: true, encoding: .utf8)
        #expect(try programs([]) == ["vendor/log.sh"])
    }

    @Test("a tree of thousands of routes maps within its bounds and does not hang")
    func manyRoutes() throws {
        let tree = try Scratch("map-routes")
        for program in 0..<600 {
            var lines = ["import requests", "requests.post(\"http://h/api/zz\(program)/send\", json=message)"]
            for route in 0..<32 { lines.append("@app.post(\"/send_message_\(program)_\(route)\")\ndef f\(route)(message):\n    pass") }
            try lines.joined(separator: "\n").write(to: tree.url.appendingPathComponent(String(format: "p%04d.py", program)), atomically: true, encoding: .utf8)
        }
        let result = try CLI.run(["map", tree.path, "--format", "json"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let map = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let nodes = map["nodes"] as? [[String: Any]] ?? []
        #expect(nodes.count == 200)
        #expect(nodes.contains { $0["kind"] as? String == "program" } && nodes.contains { $0["kind"] as? String == "channel" })
        #expect((map["omitted_nodes"] as? Int ?? 0) > 0)
    }
}
