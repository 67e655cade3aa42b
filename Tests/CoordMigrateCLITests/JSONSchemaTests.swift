import CoordMigrateTestSupport
import Foundation
import Testing

/// The JSON report is checked by a real consumer: Python's `jsonschema`
/// (draft 2020-12) against the published `schemas/migration-report.schema.json`.
///
/// Every test runs the built `coord-migrate` binary, so the whole path from the
/// model through `MigrationReport.jsonEncoder()` to the file on disk is covered.
@Suite("JSON report matches schemas/migration-report.schema.json")
struct JSONSchemaTests {
    // MARK: - Tests

    @Test("the schema itself is a valid draft 2020-12 schema")
    func schemaIsValid() throws {
        let result = try Self.validate(document: nil)
        #expect(result.status == 0, "check_schema failed:\n\(result.output)")
    }

    @Test("the three shipped samples are present")
    func samplesArePresent() {
        let names = sampleNames()
        for expected in ["agent-bridge", "my-scripts", "enterprise-workflow"] {
            #expect(names.contains(expected), "samples/\(expected) is missing; found \(names)")
        }
    }

    @Test("the report for each sample validates", arguments: sampleNames())
    func sampleReportValidates(sample: String) throws {
        let scratch = try Scratch("schema")
        let report = try Self.analyze(packageRoot.appendingPathComponent("samples/\(sample)"), into: scratch)
        let result = try Self.validate(document: report)
        #expect(result.status == 0, "samples/\(sample): the report does not match the schema:\n\(result.output)")
    }

    @Test("a database-backed tree validates, with the optional database_type present")
    func databaseTreeValidates() throws {
        let scratch = try Scratch("schema")
        let tree = scratch.url.appendingPathComponent("db-system")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try """
            # Messages live in SQLite.
            database: {type: sqlite}
            agents:
              planner:
                authority_domains: [planning]
              reviewer:
                authority_domains: [review, releases]
            """.write(to: tree.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)

        let report = try Self.analyze(tree, into: scratch)
        let result = try Self.validate(document: report)
        #expect(result.status == 0, "the report does not match the schema:\n\(result.output)")

        // Prove the optional key was really exercised.
        let json = try Self.readObject(report)
        let detection = try #require(json["detection"] as? [String: Any])
        #expect(detection["database_type"] as? String == "sqlite")
        #expect(detection["message_system_type"] as? String == "database")
        #expect(detection["existing_patterns"] as? [String] == ["authority-domains"])
    }

    @Test("a tree with a malformed config validates, with a warning that carries a line")
    func warningTreeValidates() throws {
        let scratch = try Scratch("schema")
        let tree = scratch.url.appendingPathComponent("broken-config")
        try FileManager.default.createDirectory(
            at: tree.appendingPathComponent("inbox/alpha"), withIntermediateDirectories: true)
        try "hello\n".write(
            to: tree.appendingPathComponent("inbox/alpha/2026-11-20-beta-550e8400-e29b-41d4-a716-446655440000.msg"),
            atomically: true, encoding: .utf8)
        // An unterminated quoted scalar: Yams reports where the stream ended.
        try "agents:\n  alpha:\n    role: \"unterminated\n  beta: {\n".write(
            to: tree.appendingPathComponent("agents.yaml"), atomically: true, encoding: .utf8)

        let report = try Self.analyze(tree, into: scratch)
        let result = try Self.validate(document: report)
        #expect(result.status == 0, "the report does not match the schema:\n\(result.output)")

        let json = try Self.readObject(report)
        let detection = try #require(json["detection"] as? [String: Any])
        let warnings = try #require(detection["warnings"] as? [[String: Any]])
        // Prove the optional `line` of a warning was really exercised.
        let warning = try #require(warnings.first { $0["path"] as? String == "agents.yaml" },
                                   "a malformed agents.yaml should give a warning; got \(warnings)")
        #expect((warning["line"] as? Int ?? 0) >= 1, "the YAML warning should carry a line: \(warning)")
    }

    @Test("facts seen and not counted validate, and explain the missing pattern")
    func notCountedValidates() throws {
        let scratch = try Scratch("schema")
        let tree = scratch.url.appendingPathComponent("fragment-ids")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("src"), withIntermediateDirectories: true)
        try "import { randomUUID } from 'node:crypto';\nexport const id = () => randomUUID().split('-')[0]; // message id\n"
            .write(to: tree.appendingPathComponent("src/id.ts"), atomically: true, encoding: .utf8)
        let report = try Self.analyze(tree, into: scratch)
        let result = try Self.validate(document: report)
        #expect(result.status == 0, "the report does not match the schema:\n\(result.output)")
        let detection = try #require(try Self.readObject(report)["detection"] as? [String: Any])
        let notCounted = try #require(detection["not_counted"] as? [[String: Any]])
        #expect(notCounted.contains {
            $0["subject"] as? String == "collision-free-messaging" && $0["path"] as? String == "src/id.ts" && $0["line"] as? Int == 2
                && ($0["detail"] as? String ?? "").contains("cut short")
        })
        // Two parts, each giving an infrastructure fact: `parts` is written and validates.
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("chat"), withIntermediateDirectories: true)
        try "[agents.a]\ncommand = \"a\"\n".write(to: tree.appendingPathComponent("chat/config.toml"), atomically: true, encoding: .utf8)
        try "def append_event(e):\n    with open('events.jsonl', 'a') as f:\n        f.write(e)\n"
            .write(to: tree.appendingPathComponent("src/log.py"), atomically: true, encoding: .utf8)
        let combined = try Self.analyze(tree, into: scratch)
        #expect(try Self.validate(document: combined).status == 0)
        let parts = try #require(try Self.readObject(combined)["detection"] as? [String: Any])["parts"] as? [[String: Any]]
        #expect(parts?.map { $0["path"] as? String } == ["./", "chat/"])
        let explain = try CLI.run(["patterns", "--explain", "collision-free-messaging", "--path", tree.path])
        #expect(explain.status == 0)
        let text = String(decoding: explain.stdout, as: UTF8.self)
        #expect(text.contains("Seen and not counted:") && text.contains("src/id.ts:2"), "\(text)")
    }

    /// A schema that accepts anything proves nothing: each mutation of a valid
    /// report must be rejected, for the reason the mutation introduces.
    @Test("the schema rejects a report that drifts from the model", arguments: JSONSchemaTests.Mutation.allCases)
    func schemaRejectsDrift(mutation: Mutation) throws {
        let scratch = try Scratch("schema")
        let report = try Self.analyze(packageRoot.appendingPathComponent("samples/agent-bridge"), into: scratch)

        // Control: the same document, round-tripped through JSONSerialization
        // without a change, still validates; so a failure below is the mutation's.
        var json = try Self.readObject(report)
        let control = scratch.url.appendingPathComponent("control.json")
        try Self.writeObject(json, to: control)
        let controlResult = try Self.validate(document: control)
        try #require(controlResult.status == 0, "the unmutated report should validate:\n\(controlResult.output)")

        try mutation.apply(to: &json)
        let mutated = scratch.url.appendingPathComponent("mutated-\(mutation.rawValue).json")
        try Self.writeObject(json, to: mutated)
        let result = try Self.validate(document: mutated)
        #expect(result.status == 1, "\(mutation): validation should fail, got exit \(result.status):\n\(result.output)")
        #expect(result.output.contains(mutation.expectedMessage),
                "\(mutation): expected an error mentioning \(mutation.expectedMessage.debugDescription), got:\n\(result.output)")
    }

    enum Mutation: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case removeGaps
        case unknownKeyInPlan
        case unknownComplexityLevel

        var testDescription: String {
            switch self {
            case .removeGaps: "detection.gaps removed"
            case .unknownKeyInPlan: "unknown key added at plan"
            case .unknownComplexityLevel: "complexity.complexity_level = \"trivial\""
            }
        }

        /// A fragment of the validator's message for this mutation.
        var expectedMessage: String {
            switch self {
            case .removeGaps: "'gaps' is a required property"
            case .unknownKeyInPlan: "not_in_the_model"
            case .unknownComplexityLevel: "'trivial' is not one of"
            }
        }

        func apply(to json: inout [String: Any]) throws {
            switch self {
            case .removeGaps:
                var detection = try #require(json["detection"] as? [String: Any])
                try #require(detection.removeValue(forKey: "gaps") != nil)
                json["detection"] = detection
            case .unknownKeyInPlan:
                var plan = try #require(json["plan"] as? [String: Any])
                plan["not_in_the_model"] = "drift"
                json["plan"] = plan
            case .unknownComplexityLevel:
                var complexity = try #require(json["complexity"] as? [String: Any])
                try #require(complexity["complexity_level"] != nil)
                complexity["complexity_level"] = "trivial"
                json["complexity"] = complexity
            }
        }
    }

    // MARK: - Helpers

    static let schemaURL = packageRoot.appendingPathComponent("schemas/migration-report.schema.json")

    /// Runs the binary on `tree` and returns the JSON report it wrote.
    static func analyze(_ tree: URL, into scratch: Scratch) throws -> URL {
        let output = scratch.url.appendingPathComponent("report.json")
        let result = try CLI.run([
            "--path", tree.path, "--format", "json", "--output", output.path, "--now", fixedNowText, "--quiet",
        ])
        try #require(result.status == 0, "coord-migrate exited \(result.status) on \(tree.path):\n\(result.stderr)")
        try #require(FileManager.default.fileExists(atPath: output.path), "coord-migrate wrote no report")
        return output
    }

    /// Checks the schema with `check_schema`, then (with a document) validates the
    /// document against it. Exit 0: valid; 1: errors, one per line.
    static func validate(document: URL?) throws -> (status: Int32, output: String) {
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            with open(sys.argv[1], encoding="utf-8") as f:
                schema = json.load(f)
            Draft202012Validator.check_schema(schema)
            if len(sys.argv) < 3:
                sys.exit(0)
            with open(sys.argv[2], encoding="utf-8") as f:
                doc = json.load(f)
            errors = list(Draft202012Validator(schema).iter_errors(doc))
            for error in errors:
                print(error.json_path + ": " + error.message)
            sys.exit(1 if errors else 0)
            """
        var arguments = ["python3", "-c", script, schemaURL.path]
        if let document { arguments.append(document.path) }
        // python3 and jsonschema are found as the developer has them: the caller's environment.
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: ProcessInfo.processInfo.environment)
        return (result.status, result.stdoutText + result.stderr)
    }

    static func readObject(_ url: URL) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(value as? [String: Any], "the report is not a JSON object")
    }

    static func writeObject(_ object: [String: Any], to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url)
    }
}
