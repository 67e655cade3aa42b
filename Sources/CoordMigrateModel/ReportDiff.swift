public import Foundation

/// What changed between two reports of the same system: progress, or regression.
public struct ReportDiff: Codable, Sendable, Hashable {
    /// One number or level that changed (or not).
    public struct Change: Codable, Sendable, Hashable {
        public var field: String
        public var old: String
        public var new: String
        /// True when the new value is worse for the migration.
        public var regressed: Bool
        public var improved: Bool

        /// Every stored property, as the memberwise initializer takes them.
        package init(field: String, old: String, new: String, regressed: Bool, improved: Bool) {
            self.field = field
            self.old = old
            self.new = new
            self.regressed = regressed
            self.improved = improved
        }
    }

    public var schemaVersion: String
    public var oldGeneratedAt: String
    public var newGeneratedAt: String
    public var oldTargetPath: String
    public var newTargetPath: String
    public var patternsGained: [String]
    public var patternsLost: [String]
    /// complexity, risk, hours, scale, timeline, gaps — in that order, changed or not.
    public var changes: [Change]
    public var newWarnings: [ScanWarning]
    public var resolvedWarnings: [ScanWarning]
    /// Every way the new report is worse than the old, in words.
    public var regressions: [String]

    public var regressed: Bool { !regressions.isEmpty }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, oldGeneratedAt, newGeneratedAt, oldTargetPath, newTargetPath, patternsGained,
            patternsLost, changes, newWarnings, resolvedWarnings, regressions
    }

    public init(old: MigrationReport, new: MigrationReport) {
        schemaVersion = MigrationReport.currentSchemaVersion
        oldGeneratedAt = old.generatedAt
        newGeneratedAt = new.generatedAt
        oldTargetPath = old.targetPath
        newTargetPath = new.targetPath
        let oldPresent = Set(old.detection.patterns.filter(\.present).map(\.id))
            .union(old.detection.customPatterns.filter(\.present).map(\.id))
        let newPresent = Set(new.detection.patterns.filter(\.present).map(\.id))
            .union(new.detection.customPatterns.filter(\.present).map(\.id))
        let order = (new.detection.patterns + new.detection.customPatterns + old.detection.patterns
            + old.detection.customPatterns).map(\.id)
        func ordered(_ ids: Set<String>) -> [String] {
            var seen = Set<String>()
            return order.filter { ids.contains($0) && seen.insert($0).inserted }
        }
        patternsGained = ordered(newPresent.subtracting(oldPresent))
        patternsLost = ordered(oldPresent.subtracting(newPresent))

        func change<T: Comparable>(_ field: String, _ a: T, _ b: T, _ text: (T) -> String, higherIsWorse: Bool = true) -> Change {
            Change(
                field: field, old: text(a), new: text(b),
                regressed: higherIsWorse ? b > a : b < a, improved: higherIsWorse ? b < a : b > a)
        }
        changes = [
            change("complexity", old.complexity.complexityLevel, new.complexity.complexityLevel, \.rawValue),
            change("risk", old.complexity.riskLevel, new.complexity.riskLevel, \.rawValue),
            change("hours", old.complexity.estimatedHours, new.complexity.estimatedHours, { "\($0)" }),
            change("scale", old.detection.estimatedScale, new.detection.estimatedScale, \.rawValue),
            change("gaps", old.detection.gaps.count, new.detection.gaps.count, { "\($0)" }),
            Change(
                field: "timeline", old: old.plan.estimatedTimeline, new: new.plan.estimatedTimeline,
                regressed: new.complexity.estimatedHours > old.complexity.estimatedHours
                    && new.plan.estimatedTimeline != old.plan.estimatedTimeline,
                improved: new.complexity.estimatedHours < old.complexity.estimatedHours
                    && new.plan.estimatedTimeline != old.plan.estimatedTimeline),
        ]
        let oldWarnings = Set(old.detection.warnings)
        let newWarningSet = Set(new.detection.warnings)
        newWarnings = new.detection.warnings.filter { !oldWarnings.contains($0) }
        resolvedWarnings = old.detection.warnings.filter { !newWarningSet.contains($0) }

        var regressions = patternsLost.map { "pattern \($0) was lost" }
        // Scale growing is not the team's fault, but it does make the migration harder.
        for change in changes where change.regressed && change.field != "timeline" {
            regressions.append("\(change.field) went from \(change.old) to \(change.new)")
        }
        if !newWarnings.isEmpty {
            regressions.append("\(newWarnings.count) new warning\(newWarnings.count == 1 ? "" : "s")")
        }
        self.regressions = regressions
    }

    /// The diff as JSON (sorted snake_case keys, like the report).
    public func jsonData() throws -> Data {
        var data = try MigrationReport.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }
}
