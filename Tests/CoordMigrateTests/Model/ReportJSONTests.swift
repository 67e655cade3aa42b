@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// The JSON type of a value read back with JSONSerialization.
enum JSONKind: Equatable, CustomStringConvertible {
    case object, array, string, number, bool, null

    init(_ value: Any) {
        switch value {
        case is NSNull: self = .null
        case is [String: Any]: self = .object
        case is [Any]: self = .array
        case is String: self = .string
        case let number as NSNumber:
            // JSON booleans come back as NSNumber too; their Objective-C type is `c` (char).
            self = String(cString: number.objCType) == "c" ? .bool : .number
        default: self = .null
        }
    }

    var description: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .null: "null"
        }
    }
}

/// Follows a dotted key path; `[]` steps into every element of an array.
func values(at path: String, in root: Any) -> [Any] {
    var current: [Any] = [root]
    for key in path.split(separator: ".") {
        var next: [Any] = []
        for value in current {
            if key.hasSuffix("[]") {
                if let object = value as? [String: Any], let array = object[String(key.dropLast(2))] as? [Any] {
                    next += array
                }
            } else if let object = value as? [String: Any], let child = object[String(key)] {
                next.append(child)
            }
        }
        current = next
    }
    return current
}

/// The keys of every JSON object in `text`, in the order they are written.
func objectKeysInOrder(_ text: String) -> [[String]] {
    var finished: [[String]] = []
    var stack: [(isObject: Bool, keys: [String])] = []
    var index = text.startIndex
    var lastString: String?
    while index < text.endIndex {
        let character = text[index]
        switch character {
        case "\"":
            var string = ""
            index = text.index(after: index)
            while text[index] != "\"" {
                if text[index] == "\\" { index = text.index(after: index) }
                string.append(text[index])
                index = text.index(after: index)
            }
            lastString = string
        case ":":
            if let key = lastString, !stack.isEmpty, stack[stack.count - 1].isObject { stack[stack.count - 1].keys.append(key) }
            lastString = nil
        case "{": stack.append((true, []))
        case "[": stack.append((false, []))
        case "}", "]":
            let frame = stack.removeLast()
            if frame.isObject { finished.append(frame.keys) }
        default:
            if !character.isWhitespace && character != "," { lastString = nil }
            if character == "," { lastString = nil }
        }
        index = text.index(after: index)
    }
    return finished
}

@Suite("The JSON report (DESIGN §6)")
struct ReportJSONTests {
    /// DESIGN §6's skeleton: every key path other tools rely on, and its type.
    static let skeleton: [(String, JSONKind)] = [
        ("schema_version", .string),
        ("tool", .object), ("tool.name", .string), ("tool.version", .string),
        ("generated_at", .string),
        ("target_path", .string),
        ("detection", .object),
        ("detection.has_message_system", .bool), ("detection.message_system_type", .string),
        ("detection.has_event_log", .bool), ("detection.has_inbox_structure", .bool), ("detection.has_agent_config", .bool),
        ("detection.estimated_users", .number), ("detection.estimated_messages_per_day", .number),
        ("detection.estimated_scale", .string), ("detection.platform", .string),
        ("detection.existing_patterns", .array), ("detection.existing_patterns[]", .string),
        ("detection.gaps", .array), ("detection.gaps[]", .string),
        ("detection.evidence", .array), ("detection.evidence[]", .object),
        ("detection.warnings", .array),
        ("complexity", .object),
        ("complexity.complexity_level", .string), ("complexity.estimated_hours", .number), ("complexity.risk_level", .string),
        ("complexity.breaking_changes", .array), ("complexity.data_migration_required", .bool),
        ("complexity.breakdown", .array), ("complexity.breakdown[]", .object),
        ("plan", .object),
        ("plan.steps", .array), ("plan.steps[]", .object),
        ("plan.steps[].number", .number), ("plan.steps[].phase", .string), ("plan.steps[].title", .string),
        ("plan.steps[].description", .string), ("plan.steps[].commands", .array), ("plan.steps[].commands[]", .string),
        ("plan.steps[].duration", .string), ("plan.steps[].risk", .string),
        ("plan.rollback_strategy", .object), ("plan.testing_strategy", .object),
        ("plan.estimated_timeline", .string),
        ("plan.success_criteria", .array), ("plan.success_criteria[]", .string),
        ("plan.recommended_strategy", .object),
        ("scan", .object),
        ("scan.files", .number), ("scan.directories", .number), ("scan.skipped", .number), ("scan.elapsed_ms", .number),
    ]

    @Test("a tree with no coordination system: no steps, and no_system says why")
    func noSystemSkeleton() throws {
        let report = try sampleReport("my-scripts")
        let root = try JSONSerialization.jsonObject(with: try MigrationReport.jsonEncoder().encode(report))
        #expect(values(at: "plan.steps", in: root).first.map { ($0 as? [Any])?.isEmpty } == true)
        #expect((values(at: "plan.no_system", in: root).first as? String)?.contains("no migration steps") == true)
        // The seed's figures are kept for comparison.
        #expect(values(at: "complexity.estimated_hours", in: root).first as? Int == report.complexity.estimatedHours)
        #expect(values(at: "plan.estimated_timeline", in: root).first as? String == "5 days")
    }

    @Test("every key path of the skeleton exists with the right type", arguments: ["agent-bridge", "queue-lanes", "enterprise-workflow"])
    func skeletonKeys(_ sample: String) throws {
        let report = try sampleReport(sample)
        let data = try MigrationReport.jsonEncoder().encode(report)
        let root = try JSONSerialization.jsonObject(with: data)
        for (path, kind) in Self.skeleton {
            let found = values(at: path, in: root)
            // `x[]` looks inside an array, which may be empty (no gaps, no warnings).
            let mayBeEmpty = path.hasSuffix("[]") && path.split(separator: ".").count <= 2
            #expect(!found.isEmpty || mayBeEmpty, "\(path) is missing")
            for value in found {
                #expect(JSONKind(value) == kind, "\(path) is \(JSONKind(value)), not \(kind)")
            }
        }
        let object = try #require(root as? [String: Any])
        #expect(object["schema_version"] as? String == "1")
        #expect(values(at: "tool.name", in: root).first as? String == "coord-migrate")
        #expect(values(at: "tool.version", in: root).first as? String == coordMigrateVersion)
        #expect(object["generated_at"] as? String == "2026-11-25T08:00:00Z")
        #expect(object["target_path"] as? String == sampleURL(sample).standardizedFileURL.path)
        // Numbers agree with the model.
        #expect(values(at: "complexity.estimated_hours", in: root).first as? Int == report.complexity.estimatedHours)
        #expect(values(at: "plan.steps[].number", in: root).compactMap { $0 as? Int } == Array(1...report.plan.steps.count))
        #expect(values(at: "scan.files", in: root).first as? Int == report.scan.files)
    }

    @Test("keys come out sorted in the text")
    func sortedKeys() throws {
        let report = try sampleReport("agent-bridge")
        let text = String(decoding: try report.jsonData(), as: UTF8.self)
        let objects = objectKeysInOrder(text)
        #expect(objects.count > 20)
        for keys in objects {
            #expect(keys == keys.sorted(), "keys out of order: \(keys)")
        }
        #expect(text.hasSuffix("}\n"))
        #expect(!text.contains("\\/"), "slashes are not escaped")
        // snake_case throughout.
        for keys in objects {
            for key in keys { #expect(key == key.lowercased(), "\(key) is not snake_case") }
        }
    }

    @Test("enum values are the seed's")
    func enumValues() throws {
        let encoder = MigrationReport.jsonEncoder()
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        #expect(try json(MessageSystemType.fileBased) == "\"file-based\"")
        #expect(try json(ComplexityLevel.veryComplex) == "\"very_complex\"")
        #expect(MessageSystemType.allCases.map(\.rawValue) == ["file-based", "database", "api", "none"])
        #expect(ComplexityLevel.allCases.map(\.rawValue) == ["simple", "moderate", "complex", "very_complex"])
        #expect(Scale.allCases.map(\.rawValue) == ["individual", "team", "organization", "enterprise"])
        #expect(RiskLevel.allCases.map(\.rawValue) == ["low", "medium", "high"])

        var report = try sampleReport("agent-bridge")
        let root = try JSONSerialization.jsonObject(with: try encoder.encode(report))
        #expect(values(at: "detection.message_system_type", in: root).first as? String == "file-based")
        #expect(values(at: "detection.existing_patterns", in: root).first as? [String] == report.detection.existingPatterns.map(\.rawValue))
        #expect(values(at: "detection.gaps", in: root).first as? [String] == ["priority-queue", "defer-queue"])

        report.complexity.complexityLevel = .veryComplex
        let changed = try JSONSerialization.jsonObject(with: try encoder.encode(report))
        #expect(values(at: "complexity.complexity_level", in: changed).first as? String == "very_complex")
    }

    @Test("decoding gives back an equal report", arguments: ["agent-bridge", "my-scripts", "enterprise-workflow"])
    func roundTrip(_ sample: String) throws {
        let report = try sampleReport(sample)
        let data = try MigrationReport.jsonEncoder().encode(report)
        let decoded = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: data)
        #expect(decoded == report)
        #expect(try MigrationReport.jsonEncoder().encode(decoded) == data)
    }

    @Test("a report with warnings, lines, a database type and custom findings round-trips")
    func roundTripEverything() throws {
        var report = try sampleReport("enterprise-workflow")
        report.detection.warnings = [
            ScanWarning(path: "config.yaml", line: 3, message: "malformed YAML: tab"),
            ScanWarning(path: ".", message: "2 more warnings not shown"),
        ]
        report.detection.customPatterns = [PatternFinding(
            id: "lock-files", title: "Lock files", present: true, summary: "2 lock files", evidenceKinds: [.disk, .code],
            remediation: "Use atomic renames.")]
        report.detection.evidence.append(Evidence(subject: "lock-files", kind: .code, path: "a \"quoted\" path", line: 7, detail: "é ✅ \u{1}"))
        #expect(report.detection.databaseType == "postgresql")
        let data = try report.jsonData()
        let decoded = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: data)
        #expect(decoded == report)
        let root = try JSONSerialization.jsonObject(with: data)
        #expect(values(at: "detection.warnings[].line", in: root).compactMap { $0 as? Int } == [3])
        #expect(values(at: "detection.database_type", in: root).first as? String == "postgresql")
    }

    @Test("the report's own JSON writer writes the bytes JSONEncoder writes, on every sample", arguments: sampleNames())
    func sameBytesAsJSONEncoder(_ sample: String) throws {
        let report = try sampleReport(sample)
        var expected = try MigrationReport.jsonEncoder().encode(report)
        expected.append(0x0A)
        let written = try report.jsonData()
        #expect(written == expected, "\(sample): first difference at byte \(zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(written.count, expected.count))")
    }

    /// Every shape the writer handles, beside what `JSONEncoder` makes of it.
    private struct Shapes: Codable {
        struct Inner: Codable { var deepValue: Int?; var list: [String] }
        var someKey: Int
        var URLPath: String
        var sha256Digest: String
        var aB_c: Int
        var _private: Int
        var numbers: [Double]
        var float: Float
        var integers: [Int64]
        var unsigned: UInt64
        var text: String
        var flag: Bool
        var missing: Int?
        var present: Int?
        var empty: [Int]
        var emptyInner: [Inner]
        var nested: [[Inner]]
        var pattern: PatternID
    }

    @Test("numbers, escapes, empty containers, optionals and key conversions come out as JSONEncoder writes them")
    func shapesAsJSONEncoder() throws {
        let value = Shapes(
            someKey: 1, URLPath: "/a/b", sha256Digest: "", aB_c: 2, _private: 3,
            numbers: [1, 0.5, 1e-7, 123_456_789_012_345_678, 0.1, 1e300, -0.0, 3.14159, 100, -2.5e-300],
            float: 0.1, integers: [.min, -1, 0, .max], unsigned: .max,
            text: "q\"\\/\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é\u{2028}✅", flag: false, missing: nil, present: 7, empty: [],
            emptyInner: [Shapes.Inner(deepValue: nil, list: [])], nested: [[], [Shapes.Inner(deepValue: 4, list: ["x", ""])]], pattern: .priorityQueue)
        let expected = try MigrationReport.jsonEncoder().encode(value)
        let written = try ReportJSON.data(value)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        for key in ["someKey", "URLPath", "URLs", "aB_c", "_private", "already_snake", "HTTPServerURL", "a", "A", "x1Y2", "trailing_", "ÉtéKey"] {
            #expect(ReportJSON.snakeCase(key) == Self.keyAsJSONEncoderWritesIt(key), "\(key)")
        }
        #expect(throws: (any Error).self) { try ReportJSON.data([Double.nan]) }
    }

    /// The key `JSONEncoder` writes for a property named `name`.
    private static func keyAsJSONEncoderWritesIt(_ name: String) -> String {
        struct One: Encodable {
            let name: String
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: Key(stringValue: name))
            }
        }
        let object = try? JSONSerialization.jsonObject(with: MigrationReport.jsonEncoder().encode(One(name: name))) as? [String: Any]
        return object?.keys.first ?? "?"
    }

    @Test("the same report encodes to the same bytes")
    func stableBytes() throws {
        let first = try sampleReport("agent-bridge").jsonData()
        let second = try sampleReport("agent-bridge").jsonData()
        #expect(first == second)
    }

    @Test("MigrationReport(jsonData:) reads back what jsonData() wrote, and refuses another schema version")
    func initFromJSONData() throws {
        let report = try sampleReport("agent-bridge")
        #expect(try MigrationReport(jsonData: report.jsonData()) == report)
        var root = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        root["schema_version"] = "99"
        let future = try JSONSerialization.data(withJSONObject: root)
        #expect(throws: MigrationReport.DecodingError.self) { try MigrationReport(jsonData: future) }
    }

    @Test("a PatternID prints as its id", arguments: PatternID.allCases)
    func patternIDPrintsAsID(_ id: PatternID) {
        #expect("\(id)" == id.rawValue)
        #expect(String(describing: id) == id.rawValue)
    }
}
