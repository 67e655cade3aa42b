public import Foundation

/// Everything any emitter prints: the only thing emitters see.
///
/// Encoded with ``MigrationReport/jsonEncoder()`` it gives the JSON document other
/// tools consume (snake_case keys, sorted); ``MigrationReport/decode(_:)`` reads
/// such a document back.
public struct MigrationReport: Codable, Sendable, Hashable {
    /// The version of the JSON layout. Bumped when a documented key moves or
    /// changes meaning.
    public static let currentSchemaVersion = "1"

    /// The program that wrote the report.
    public struct Tool: Codable, Sendable, Hashable {
        /// Its name: `coord-migrate` for reports this library writes.
        public var name: String
        /// Its version.
        public var version: String

        /// Every stored property, as the memberwise initializer takes them.
        package init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    /// A non-default scoring policy: where it came from and what it changed.
    public struct PolicySummary: Codable, Sendable, Hashable {
        /// The policy file (or `.coord-migrate.yaml`).
        public var source: String
        /// Each changed setting as `key: default → value`.
        public var changes: [String]

        /// Every stored property, as the memberwise initializer takes them.
        package init(source: String, changes: [String]) {
            self.source = source
            self.changes = changes
        }
    }

    /// What the walk cost.
    public struct ScanStatistics: Codable, Sendable, Hashable {
        /// Regular files walked.
        public var files: Int
        /// Folders walked, including those too deep to be entered.
        public var directories: Int
        /// Entries not looked into: symlinks, special files, excluded folders,
        /// unreadable entries.
        public var skipped: Int
        /// Wall time of the scan; 0 when the clock is fixed for reproducible output.
        public var elapsedMs: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(files: Int, directories: Int, skipped: Int, elapsedMs: Int) {
            self.files = files
            self.directories = directories
            self.skipped = skipped
            self.elapsedMs = elapsedMs
        }
    }

    /// The JSON layout's version: ``currentSchemaVersion`` for reports this library writes.
    public var schemaVersion: String
    /// The program and version that wrote the report.
    public var tool: Tool
    /// ISO 8601, UTC, whole seconds.
    public var generatedAt: String
    /// The analysed directory, absolute.
    public var targetPath: String
    /// What the detectors found.
    public var detection: DetectionResult
    /// The score: complexity, hours and risk, with the factors behind them.
    public var complexity: ComplexityResult
    /// The migration plan.
    public var plan: MigrationPlan
    /// The `--fail-on` conditions checked, in the order given (empty when none).
    public var gates: [GateResult]
    /// Present when the scoring policy differs from the original tool's.
    public var policy: PolicySummary?
    /// Every skip asked for, applied or expired, sorted by id; JSON leaves the key out
    /// when nothing was skipped.
    public var skips: [PatternSkip] = []
    /// What the walk covered and how long it took.
    public var scan: ScanStatistics

    /// The encoder that writes the published JSON layout.
    package static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder that reads the published JSON layout.
    package static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// The report as the published JSON document, ending in a newline: the bytes
    /// ``jsonEncoder()`` writes, written without it (``ReportJSON``).
    public func jsonData() throws -> Data {
        var data = try ReportJSON.data(self)
        data.append(0x0A)
        return data
    }

    /// Every stored property, as the memberwise initializer takes them.
    package init(schemaVersion: String, tool: Tool, generatedAt: String, targetPath: String, detection: DetectionResult, complexity: ComplexityResult, plan: MigrationPlan, gates: [GateResult], policy: PolicySummary? = nil, skips: [PatternSkip] = [], scan: ScanStatistics) {
        self.schemaVersion = schemaVersion
        self.tool = tool
        self.generatedAt = generatedAt
        self.targetPath = targetPath
        self.detection = detection
        self.complexity = complexity
        self.plan = plan
        self.gates = gates
        self.policy = policy
        self.skips = skips
        self.scan = scan
    }
}

extension MigrationReport {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, tool, generatedAt, targetPath, detection, complexity, plan, gates, policy, skips, scan
    }

    /// Reads a report, accepting reports written before `gates` existed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(String.self, forKey: .schemaVersion)
        tool = try c.decode(Tool.self, forKey: .tool)
        generatedAt = try c.decode(String.self, forKey: .generatedAt)
        targetPath = try c.decode(String.self, forKey: .targetPath)
        detection = try c.decode(DetectionResult.self, forKey: .detection)
        complexity = try c.decode(ComplexityResult.self, forKey: .complexity)
        plan = try c.decode(MigrationPlan.self, forKey: .plan)
        gates = try c.decodeIfPresent([GateResult].self, forKey: .gates) ?? []
        policy = try c.decodeIfPresent(PolicySummary.self, forKey: .policy)
        skips = try c.decodeIfPresent([PatternSkip].self, forKey: .skips) ?? []
        scan = try c.decode(ScanStatistics.self, forKey: .scan)
    }

    /// Writes the report; `skips` only when there is one, so reports of runs that skip
    /// nothing are as before.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(tool, forKey: .tool)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(targetPath, forKey: .targetPath)
        try c.encode(detection, forKey: .detection)
        try c.encode(complexity, forKey: .complexity)
        try c.encode(plan, forKey: .plan)
        try c.encode(gates, forKey: .gates)
        try c.encodeIfPresent(policy, forKey: .policy)
        if !skips.isEmpty { try c.encode(skips, forKey: .skips) }
        try c.encode(scan, forKey: .scan)
    }

    /// The skips that had expired at the report time.
    package var expiredSkips: [PatternSkip] { skips.filter(\.expired) }
}

extension MigrationReport {
    /// Why a saved report could not be read.
    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        /// Why the document was refused: not JSON, no `schema_version`, another version, or a
        /// key missing or of the wrong type.
        public var description: String

        /// Every stored property, as the memberwise initializer takes them.
        package init(description: String) {
            self.description = description
        }
    }

    /// Reads a report from the JSON that ``jsonData()`` writes (any report of this
    /// schema version), refusing other schema versions; the same as ``decode(_:)``.
    public init(jsonData: Data) throws(DecodingError) {
        self = try Self.decode(jsonData)
    }

    /// Reads a JSON report written by this tool, refusing other schema versions.
    public static func decode(_ data: Data) throws(DecodingError) -> MigrationReport {
        struct Header: Decodable { var schemaVersion: String? }
        let decoder = jsonDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw DecodingError(description: "not a JSON report: \(JSONNumbers.outOfRangeMessage(in: data) ?? Self.reason(error))")
        }
        guard let version = header.schemaVersion else {
            throw DecodingError(description: "not a coord-migrate report: it has no schema_version")
        }
        guard version == currentSchemaVersion else {
            throw DecodingError(
                description: "schema_version \(version) is not supported (this coord-migrate reads version \(currentSchemaVersion))")
        }
        do {
            return try decoder.decode(MigrationReport.self, from: data)
        } catch {
            if let outOfRange = JSONNumbers.outOfRangeMessage(in: data) {
                throw DecodingError(description: "the report does not match schema version \(version): \(outOfRange)")
            }
            throw DecodingError(description: "the report does not match schema version \(version): \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case let Swift.DecodingError.keyNotFound(key, context):
            return "missing key \(path(context.codingPath + [key]))"
        case let Swift.DecodingError.typeMismatch(_, context), let Swift.DecodingError.valueNotFound(_, context):
            return "wrong type at \(path(context.codingPath))"
        case let Swift.DecodingError.dataCorrupted(context):
            if context.codingPath.isEmpty { return "malformed JSON" }
            return "invalid value at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\(snakeCase($0.stringValue))" }.joined().drop { $0 == "." }.description
    }

    private static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}
