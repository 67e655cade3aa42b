package import Foundation

/// What changed between two reports of the same system: progress, or regression.
package struct ReportDiff: Codable, Sendable, Hashable {
    /// One side of a ``Change``: a count or hours as a number (a JSON number), a
    /// level or a timeline as text (a JSON string).
    package enum Value: Codable, Sendable, Hashable, CustomStringConvertible {
        /// A count or a number of hours.
        case number(Int)
        /// A level (`low`, `medium`, …) or a timeline.
        case text(String)

        /// The value as the Markdown and JUnit diffs write it.
        package var description: String {
            switch self {
            case let .number(number): "\(number)"
            case let .text(text): text
            }
        }

        /// Reads a JSON number as ``number(_:)`` and a JSON string as ``text(_:)``.
        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        /// Writes a JSON number or a JSON string.
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .number(number): try container.encode(number)
            case let .text(text): try container.encode(text)
            }
        }
    }

    /// One number or level that changed (or not).
    package struct Change: Codable, Sendable, Hashable {
        /// Which value: `complexity`, `risk`, `hours`, `scale`, `gaps` or `timeline`.
        package var field: String
        /// The old report's value: a number for `hours` and `gaps`, else text.
        package var old: Value
        /// The new report's value: a number for `hours` and `gaps`, else text.
        package var new: Value
        /// True when the new value is worse for the migration.
        package var regressed: Bool
        /// True when the new value is better for the migration.
        package var improved: Bool

        /// Every stored property, as the memberwise initializer takes them.
        package init(field: String, old: Value, new: Value, regressed: Bool, improved: Bool) {
            self.field = field
            self.old = old
            self.new = new
            self.regressed = regressed
            self.improved = improved
        }
    }

    /// What the system maps of the two reports disagree on: agents, channels and programs
    /// added or gone, by label, sorted. A change of the system's shape, neither better nor worse.
    package struct MapChanges: Codable, Sendable, Hashable {
        package var agentsAdded: [String]
        package var agentsGone: [String]
        package var channelsAdded: [String]
        package var channelsGone: [String]
        package var programsAdded: [String]
        package var programsGone: [String]
        /// True when either map left nodes out (beyond its bounds): then a node may be listed as
        /// gone or added only because it was cut.
        package var partial: Bool

        /// Compares two maps, `old` being the baseline, by what people know the nodes by: a channel
        /// first seen in code and later on disk is the same channel.
        package init(old: SystemMap, new: SystemMap) {
            func labels(_ map: SystemMap, _ kind: SystemMap.NodeKind) -> Set<String> { Set(map.nodes(kind).map(\.label)) }
            func added(_ kind: SystemMap.NodeKind, _ from: SystemMap, _ to: SystemMap) -> [String] {
                labels(to, kind).subtracting(labels(from, kind)).sorted()
            }
            partial = old.omittedNodes > 0 || new.omittedNodes > 0
            agentsAdded = added(.agent, old, new)
            agentsGone = added(.agent, new, old)
            channelsAdded = added(.channel, old, new)
            channelsGone = added(.channel, new, old)
            programsAdded = added(.program, old, new)
            programsGone = added(.program, new, old)
        }

        /// True when the maps have the same agents, channels and programs.
        package var isEmpty: Bool {
            [agentsAdded, agentsGone, channelsAdded, channelsGone, programsAdded, programsGone].allSatisfy(\.isEmpty)
        }
    }

    /// The report schema version the diff was made under (``MigrationReport/currentSchemaVersion``).
    package var schemaVersion: String
    /// When the old report was generated (ISO 8601).
    package var oldGeneratedAt: String
    /// When the new report was generated (ISO 8601).
    package var newGeneratedAt: String
    /// The folder the old report analysed.
    package var oldTargetPath: String
    /// The folder the new report analysed.
    package var newTargetPath: String
    /// Ids of patterns and custom rules present in the new report but not in the old, in
    /// report order.
    package var patternsGained: [String]
    /// Ids of patterns and custom rules present in the old report but not in the new; each
    /// is a regression.
    package var patternsLost: [String]
    /// complexity, risk, hours, scale, timeline, gaps — in that order, changed or not.
    package var changes: [Change]
    /// Warnings in the new report that the old did not have; any is a regression.
    package var newWarnings: [ScanWarning]
    /// Warnings of the old report that the new one no longer has.
    package var resolvedWarnings: [ScanWarning]
    /// Every way the new report is worse than the old, in words.
    package var regressions: [String]
    /// How the system map changed; absent when either report has no map (written before maps were kept).
    package var mapChanges: MapChanges?

    /// True when ``regressions`` is not empty.
    package var regressed: Bool { !regressions.isEmpty }

    /// When the two reports analysed different folders (``oldTargetPath`` and
    /// ``newTargetPath`` differ), a sentence saying so: the diff may then compare two
    /// systems rather than one system's progress. Nil when the folders are the same.
    package var targetPathWarning: String? {
        guard oldTargetPath != newTargetPath else { return nil }
        return "the reports describe different folders (\(oldTargetPath) and \(newTargetPath)); "
            + "the diff may compare two systems rather than one system's progress"
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, oldGeneratedAt, newGeneratedAt, oldTargetPath, newTargetPath, patternsGained,
            patternsLost, changes, newWarnings, resolvedWarnings, regressions, mapChanges
    }

    /// Compares two reports, `old` being the baseline.
    package init(old: MigrationReport, new: MigrationReport) {
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

        func change<T: Comparable>(_ field: String, _ a: T, _ b: T, _ value: (T) -> Value, higherIsWorse: Bool = true) -> Change {
            Change(
                field: field, old: value(a), new: value(b),
                regressed: higherIsWorse ? b > a : b < a, improved: higherIsWorse ? b < a : b > a)
        }
        changes = [
            change("complexity", old.complexity.complexityLevel, new.complexity.complexityLevel, { .text($0.rawValue) }),
            change("risk", old.complexity.riskLevel, new.complexity.riskLevel, { .text($0.rawValue) }),
            change("hours", old.complexity.estimatedHours, new.complexity.estimatedHours, Value.number),
            change("scale", old.detection.estimatedScale, new.detection.estimatedScale, { .text($0.rawValue) }),
            change("gaps", old.detection.gaps.count, new.detection.gaps.count, Value.number),
            Change(
                field: "timeline", old: .text(old.plan.estimatedTimeline), new: .text(new.plan.estimatedTimeline),
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
        if let oldMap = old.detection.systemMap, let newMap = new.detection.systemMap {
            mapChanges = MapChanges(old: oldMap, new: newMap)
        }
    }

    /// The diff as JSON (sorted snake_case keys, like the report).
    package func jsonData() throws -> Data {
        var data = try MigrationReport.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }
}
