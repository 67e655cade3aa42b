package import CoordMigrateModel

/// Builds a ``PortfolioReport`` from systems' reports: the summary kept of each
/// report, then the rollup over the summaries. The result depends on the set of
/// summaries only, never on the order they come in.
package enum PortfolioRollup {
    /// How systems are put into waves, as the portfolio states it.
    package static let waveRule =
        "wave = 1 + 2 × risk rank (low 0, medium 1, high 2) + 1 when fewer than half of the checked patterns are present; "
        + "within a wave, the most ready system first, then the fewest hours, then by path"

    /// What the portfolio keeps of one report.
    package static func summary(of report: MigrationReport) -> PortfolioSystem {
        var states: [PatternState] = []
        for id in PatternID.allCases {
            let finding = report.detection.patterns.first { $0.id == id.rawValue }
            if finding?.skippedReason != nil || report.detection.skippedPatterns.contains(id.rawValue) {
                states.append(.skipped)
            } else {
                states.append(finding?.present == true ? .present : .missing)
            }
        }
        let checked = states.filter { $0 != .skipped }.count
        let present = states.filter { $0 == .present }.count
        let readiness = checked == 0 ? 100 : present * 100 / checked
        let complexity = report.complexity
        return PortfolioSystem(
            path: report.targetPath, generatedAt: report.generatedAt, patterns: states,
            hours: complexity.estimatedHours, steps: report.plan.steps.count,
            complexityScore: complexity.complexityScore, complexityLevel: complexity.complexityLevel,
            riskScore: complexity.riskScore, riskLevel: complexity.riskLevel,
            dataMigrationRequired: complexity.dataMigrationRequired, readiness: readiness,
            wave: wave(risk: complexity.riskLevel, readiness: readiness))
    }

    /// The wave ``waveRule`` gives a system.
    package static func wave(risk: RiskLevel, readiness: Int) -> Int {
        1 + 2 * risk.rank + (readiness < 50 ? 1 : 0)
    }

    /// Why the portfolio was refused: two summaries name the same system.
    package struct DuplicateSystem: Error, CustomStringConvertible, Sendable {
        /// The system's path.
        package var path: String
        /// `two reports describe the same system …`.
        package var description: String {
            "two reports describe the same system \(path); pass each system's report once"
        }
    }

    /// The rollup of `systems`, in any order; two summaries of one path are refused.
    package static func rollUp(_ systems: [PortfolioSystem]) throws(DuplicateSystem) -> PortfolioReport {
        // Byte order of the UTF-8 path: the same in every locale and on every platform.
        let sorted = systems.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.path == b.path {
            throw DuplicateSystem(path: a.path)
        }
        let ids = PatternID.allCases
        let counts = ids.enumerated().map { index, id in
            PortfolioReport.PatternCount(
                id: id.rawValue, title: id.title,
                present: sorted.count { $0.patterns[index] == .present },
                missing: sorted.count { $0.patterns[index] == .missing },
                skipped: sorted.count { $0.patterns[index] == .skipped })
        }
        let totals = PortfolioReport.Totals(
            systems: sorted.count, hours: sorted.reduce(0) { $0 + $1.hours }, steps: sorted.reduce(0) { $0 + $1.steps },
            gaps: sorted.reduce(0) { $0 + $1.patterns.count { $0 == .missing } },
            dataMigrations: sorted.count(where: \.dataMigrationRequired))
        let complexity = ComplexityLevel.allCases.map { level in
            PortfolioReport.LevelCount(level: level.rawValue, systems: sorted.count { $0.complexityLevel == level })
        }
        let risk = RiskLevel.allCases.map { level in
            PortfolioReport.LevelCount(level: level.rawValue, systems: sorted.count { $0.riskLevel == level })
        }

        var byGaps: [[String]: [PortfolioSystem]] = [:]
        for system in sorted { byGaps[system.gaps, default: []].append(system) }
        let groups = byGaps.map { gaps, members in
            PortfolioReport.GapGroup(gaps: gaps, systems: members.map(\.path), hours: members.reduce(0) { $0 + $1.hours })
        }.sorted { a, b in
            if a.systems.count != b.systems.count { return a.systems.count > b.systems.count }
            if a.gaps.count != b.gaps.count { return a.gaps.count > b.gaps.count }
            return a.gaps.joined(separator: ",") < b.gaps.joined(separator: ",")
        }

        var byWave: [Int: [PortfolioSystem]] = [:]
        for system in sorted { byWave[system.wave, default: []].append(system) }
        let waves = byWave.keys.sorted().map { number in
            let members = byWave[number]!.sorted { a, b in
                if a.readiness != b.readiness { return a.readiness > b.readiness }
                if a.hours != b.hours { return a.hours < b.hours }
                return Array(a.path.utf8).lexicographicallyPrecedes(Array(b.path.utf8))
            }
            return PortfolioReport.Wave(
                number: number, criterion: criterion(wave: number), systems: members.map(\.path),
                hours: members.reduce(0) { $0 + $1.hours })
        }
        return PortfolioReport(
            schemaVersion: PortfolioReport.currentSchemaVersion, kind: PortfolioReport.kindName,
            tool: .init(name: "coord-migrate", version: coordMigrateVersion),
            generatedAt: sorted.map(\.generatedAt).max() ?? "", patterns: ids.map(\.rawValue), systems: sorted,
            totals: totals, patternCounts: counts, complexityDistribution: complexity, riskDistribution: risk,
            gapGroups: groups, waveRule: waveRule, waves: waves)
    }

    /// The wave's systems in words: `low risk, at least half of the patterns present`.
    package static func criterion(wave: Int) -> String {
        let risk = RiskLevel.allCases[min(max((wave - 1) / 2, 0), RiskLevel.allCases.count - 1)]
        let ready = (wave - 1) % 2 == 0
        return "\(risk.rawValue) risk, " + (ready ? "at least half of the patterns present" : "fewer than half of the patterns present")
    }
}
