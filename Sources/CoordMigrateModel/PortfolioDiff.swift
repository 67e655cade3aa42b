package import Foundation

/// What changed between two portfolios: systems gained and lost, and each system in
/// both that got better or worse.
package struct PortfolioDiff: Codable, Sendable, Hashable {
    /// One system present in both portfolios whose patterns or scores changed.
    package struct SystemChange: Codable, Sendable, Hashable {
        /// The system's path.
        package var path: String
        /// Patterns present now that were missing or skipped, in catalog order.
        package var patternsGained: [String]
        /// Patterns present before that are missing now, in catalog order; each is a regression.
        package var patternsLost: [String]
        /// Each changed value as `field: old → new` (readiness, hours, complexity, risk, wave).
        package var changes: [String]
        /// True when a pattern was lost, or complexity, risk or hours went up.
        package var regressed: Bool
        /// True when a pattern was gained, or complexity, risk or hours went down.
        package var improved: Bool

        /// Every stored property, as the memberwise initializer takes them.
        package init(path: String, patternsGained: [String], patternsLost: [String], changes: [String], regressed: Bool, improved: Bool) {
            self.path = path
            self.patternsGained = patternsGained
            self.patternsLost = patternsLost
            self.changes = changes
            self.regressed = regressed
            self.improved = improved
        }
    }

    /// ``PortfolioReport/currentSchemaVersion``.
    package var schemaVersion: String
    /// The old portfolio's `generated_at`.
    package var oldGeneratedAt: String
    /// The new portfolio's `generated_at`.
    package var newGeneratedAt: String
    /// Systems only in the new portfolio, sorted.
    package var systemsGained: [String]
    /// Systems only in the old portfolio, sorted; not a regression (a system may have
    /// been migrated or retired).
    package var systemsLost: [String]
    /// Systems in both that got better and not worse, sorted.
    package var improved: [SystemChange]
    /// Systems in both that got worse in some way, sorted.
    package var regressed: [SystemChange]
    /// Total hours before and after, as `old → new`.
    package var hours: String
    /// Every way the new portfolio is worse, in words.
    package var regressions: [String]

    /// True when ``regressions`` is not empty.
    package var hasRegressions: Bool { !regressions.isEmpty }

    /// Compares two portfolios, `old` being the baseline.
    package init(old: PortfolioReport, new: PortfolioReport) {
        schemaVersion = PortfolioReport.currentSchemaVersion
        oldGeneratedAt = old.generatedAt
        newGeneratedAt = new.generatedAt
        let before = Dictionary(old.systems.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.systems.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        systemsGained = new.systems.map(\.path).filter { before[$0] == nil }
        systemsLost = old.systems.map(\.path).filter { after[$0] == nil }
        var improved: [SystemChange] = []
        var regressed: [SystemChange] = []
        for system in new.systems {
            guard let previous = before[system.path] else { continue }
            let ids = PatternID.allCases.map(\.rawValue)
            var gained: [String] = [], lost: [String] = []
            for (index, id) in ids.enumerated() where index < system.patterns.count && index < previous.patterns.count {
                if system.patterns[index] == .present, previous.patterns[index] != .present { gained.append(id) }
                if previous.patterns[index] == .present, system.patterns[index] == .missing { lost.append(id) }
            }
            var changes: [String] = []
            func note<T: Equatable>(_ field: String, _ a: T, _ b: T, _ text: (T) -> String) {
                if a != b { changes.append("\(field): \(text(a)) → \(text(b))") }
            }
            note("readiness", previous.readiness, system.readiness) { "\($0)%" }
            note("hours", previous.hours, system.hours) { "\($0)" }
            note("complexity", previous.complexityLevel, system.complexityLevel, \.rawValue)
            note("risk", previous.riskLevel, system.riskLevel, \.rawValue)
            note("wave", previous.wave, system.wave) { "\($0)" }
            let worse = !lost.isEmpty || system.complexityLevel > previous.complexityLevel
                || system.riskLevel > previous.riskLevel || system.hours > previous.hours
            let better = !gained.isEmpty || system.complexityLevel < previous.complexityLevel
                || system.riskLevel < previous.riskLevel || system.hours < previous.hours
            let change = SystemChange(
                path: system.path, patternsGained: gained, patternsLost: lost, changes: changes, regressed: worse, improved: better)
            if worse { regressed.append(change) } else if better { improved.append(change) }
        }
        self.improved = improved
        self.regressed = regressed
        hours = "\(old.totals.hours) → \(new.totals.hours)"
        regressions = regressed.map { change in
            let lost = change.patternsLost.map { "lost \($0)" }
            return "\(change.path): " + (lost + change.changes).joined(separator: ", ")
        }
    }

    /// The diff as JSON (sorted snake_case keys, like the report).
    package func jsonData() throws -> Data {
        var data = try MigrationReport.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// The diff as CommonMark; paths are escaped.
    package func markdown() -> String {
        var lines = ["# Portfolio progress", ""]
        lines.append("Hours \(hours); \(plural(systemsGained.count, "system")) gained, \(systemsLost.count) lost, "
            + "\(improved.count) improved, \(regressed.count) regressed.")
        func section(_ title: String, _ paths: [String]) {
            guard !paths.isEmpty else { return }
            lines += ["", "## \(title)", ""]
            lines += paths.map { "- " + MarkdownText.inline($0) }
        }
        section("Regressed", regressions)
        section("Improved", improved.map { change in
            "\(change.path): " + (change.patternsGained.map { "gained \($0)" } + change.changes).joined(separator: ", ")
        })
        section("Systems gained", systemsGained)
        section("Systems lost", systemsLost)
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
