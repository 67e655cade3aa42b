public import CoordMigrateModel
public import Foundation

/// The findings as SARIF 2.1.0, for code scanning (GitHub's `upload-sarif`, IDE viewers).
///
/// One rule per pattern and per infrastructure check, plus the scan warning and the
/// expired skip (ids in ``CICatalog``, never renumbered); one result per missing
/// pattern or check and per warning, placed at its evidence (paths relative to the
/// analysed folder, `uriBaseId` `%SRCROOT%`, 1-based lines) or, for a finding about
/// the whole system, at the system's main evidence, since code scanning refuses a
/// result without a file. Skipped patterns are results carrying a suppression with
/// the skip's reason; passing checks are not results. The scores are run properties.
/// Keys are sorted, so the same report gives the same bytes.
public struct SARIFEmitter: ReportEmitter {
    /// `sarif`, the name `--format` takes.
    public static let identifier = "sarif"
    /// None.
    public static let aliases: [String] = []
    /// `sarif`.
    public static let fileExtension = "sarif"
    /// The format's line in `--help`.
    public static let summary = "SARIF 2.1.0 for code scanning (GitHub upload-sarif)"
    /// The schema the document names: the OASIS standard with its errata 01.
    package static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// Creates the emitter; SARIF takes no template.
    public init() {}

    /// The report as one SARIF log with one run, pretty-printed, ending in a newline.
    public func emit(_ report: MigrationReport) throws -> Data {
        let rules = CICatalog.rules(for: report)
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let results = CIFinding.all(report).map { finding -> JSONValue in
            var result: [String: JSONValue] = [
                "ruleId": .string(finding.ruleID),
                "level": .string(finding.level),
                "message": .object(["text": .string(finding.message)]),
                "locations": .array(finding.locations.map(Self.location)),
                "partialFingerprints": .object(["coordMigrateFinding/v1": .string(finding.fingerprint)]),
                "properties": .object(finding.properties.mapValues(JSONValue.string)
                    .merging(["placement": .string(finding.placement.rawValue)]) { first, _ in first }),
            ]
            if let index = ruleIndex[finding.ruleID] { result["ruleIndex"] = .int(index) }
            if let skip = finding.suppression {
                var properties: [String: JSONValue] = ["source": .string(skip.source)]
                if let owner = skip.owner { properties["owner"] = .string(owner) }
                if let expires = skip.expires { properties["expires"] = .string(expires) }
                result["suppressions"] = .array([.object([
                    "kind": .string("external"), "status": .string("accepted"),
                    "justification": .string(skip.reason), "properties": .object(properties),
                ])])
            }
            return .object(result)
        }
        let detection = report.detection
        let complexity = report.complexity
        var driver: [String: JSONValue] = [
            "name": .string(report.tool.name),
            "version": .string(report.tool.version),
            "rules": .array(rules.map(Self.rule)),
        ]
        if Self.isSemanticVersion(report.tool.version) { driver["semanticVersion"] = .string(report.tool.version) }
        let root = detection.discovery?.requestedPath ?? report.targetPath
        var run: [String: JSONValue] = [
            "tool": .object(["driver": .object(driver)]),
            // One category per system, so the runs of --discover do not replace each other.
            "automationDetails": .object(["id": .string("coord-migrate/" + (detection.discovery?.chosen ?? ""))]),
            "results": .array(results),
            "properties": .object([
                "complexity_level": .string(complexity.complexityLevel.rawValue),
                "complexity_score": .int(complexity.complexityScore),
                "estimated_hours": .int(complexity.estimatedHours),
                "step_hours_total": .object([
                    "low": .number(report.plan.stepHoursTotal.low), "high": .number(report.plan.stepHoursTotal.high),
                ]),
                "risk_level": .string(complexity.riskLevel.rawValue),
                "risk_score": .int(complexity.riskScore),
                "estimated_scale": .string(detection.estimatedScale.rawValue),
                "estimated_timeline": .string(report.plan.estimatedTimeline),
                "existing_patterns": .array(detection.existingPatterns.map { .string($0.rawValue) }),
                "gaps": .array(detection.gaps.map { .string($0.rawValue) }),
                "breaking_changes": .array(complexity.breakingChanges.map(JSONValue.string)),
                "data_migration_required": .bool(complexity.dataMigrationRequired),
                "generated_at": .string(report.generatedAt),
                "gates": .array(report.gates.map { .object(["condition": .string($0.condition), "failed": .bool($0.failed)]) }),
            ]),
        ]
        if let base = Self.fileURI(folder: root) {
            run["originalUriBaseIds"] = .object(["%SRCROOT%": .object(["uri": .string(base)])])
        }
        let log: JSONValue = .object([
            "$schema": .string(Self.schemaURI),
            "version": .string("2.1.0"),
            "runs": .array([.object(run)]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(log)
        data.append(0x0A)
        return data
    }

    static func rule(_ rule: CICatalog.Rule) -> JSONValue {
        .object([
            "id": .string(rule.id),
            "name": .string(rule.name),
            "shortDescription": .object(["text": .string(rule.shortDescription)]),
            "fullDescription": .object(["text": .string(rule.fullDescription)]),
            "help": .object(["text": .string(rule.helpText), "markdown": .string(rule.helpMarkdown)]),
            "defaultConfiguration": .object(["level": .string(rule.level)]),
            "properties": .object(["tags": .array([.string("coord-migrate"), .string(rule.kind.rawValue)])]),
        ])
    }

    static func location(_ place: CIFinding.Location) -> JSONValue {
        var physical: [String: JSONValue] = [
            "artifactLocation": .object(["uri": .string(uriReference(place.path)), "uriBaseId": .string("%SRCROOT%")]),
        ]
        if let line = place.line { physical["region"] = .object(["startLine": .int(line)]) }
        return .object(["physicalLocation": .object(physical), "message": .object(["text": .string(place.note)])])
    }

    /// A relative path as a URI reference: every byte but unreserved characters and `/`
    /// percent-encoded, so names with spaces, `%`, `#`, `?` or control characters stay one
    /// path, and a colon never reads as a scheme.
    static func uriReference(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// `file:///abs/folder/` for an absolute folder path; nil otherwise.
    static func fileURI(folder: String) -> String? {
        guard folder.hasPrefix("/") else { return nil }
        let path = uriReference(folder)
        return "file://" + path + (path.hasSuffix("/") ? "" : "/")
    }

    /// `MAJOR.MINOR.PATCH`, as SARIF's `semanticVersion` wants it.
    static func isSemanticVersion(_ version: String) -> Bool {
        let core = version.split(separator: "-", maxSplits: 1).first ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// A JSON value for documents built field by field; encoded with sorted keys it
/// gives the same bytes for the same value.
enum JSONValue: Encodable, Sendable {
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .bool(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}
