public import Foundation

/// What changed between two reports of the same system: progress, or regression.
public struct ReportDiff: Codable, Sendable, Hashable {
    /// One number or level that changed (or not).
    public struct Change: Codable, Sendable, Hashable {
        /// Which value: `complexity`, `risk`, `hours`, `scale`, `gaps` or `timeline`.
        public var field: String
        /// The old report's value, as text.
        public var old: String
        /// The new report's value, as text.
        public var new: String
        /// True when the new value is worse for the migration.
        public var regressed: Bool
        /// True when the new value is better for the migration.
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

    /// The report schema version the diff was made under (``MigrationReport/currentSchemaVersion``).
    public var schemaVersion: String
    /// When the old report was generated (ISO 8601).
    public var oldGeneratedAt: String
    /// When the new report was generated (ISO 8601).
    public var newGeneratedAt: String
    /// The folder the old report analysed.
    public var oldTargetPath: String
    /// The folder the new report analysed.
    public var newTargetPath: String
    /// Ids of patterns and custom rules present in the new report but not in the old, in
    /// report order.
    public var patternsGained: [String]
    /// Ids of patterns and custom rules present in the old report but not in the new; each
    /// is a regression.
    public var patternsLost: [String]
    /// complexity, risk, hours, scale, timeline, gaps — in that order, changed or not.
    public var changes: [Change]
    /// Warnings in the new report that the old did not have; any is a regression.
    public var newWarnings: [ScanWarning]
    /// Warnings of the old report that the new one no longer has.
    public var resolvedWarnings: [ScanWarning]
    /// Every way the new report is worse than the old, in words.
    public var regressions: [String]

    /// True when ``regressions`` is not empty.
    public var regressed: Bool { !regressions.isEmpty }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, oldGeneratedAt, newGeneratedAt, oldTargetPath, newTargetPath, patternsGained,
            patternsLost, changes, newWarnings, resolvedWarnings, regressions
    }

    /// Compares two reports, `old` being the baseline.
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
