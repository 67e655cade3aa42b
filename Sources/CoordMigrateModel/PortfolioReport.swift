package import Foundation

/// One pattern's state in one system of a portfolio.
package enum PatternState: String, Codable, Sendable, CaseIterable {
    /// The pattern was found.
    case present
    /// The pattern was checked and not found: a gap.
    case missing
    /// The pattern was not checked (`--skip-pattern`, `skip_patterns`).
    case skipped
}

/// What a portfolio keeps of one system's report: enough for the rollup, nothing
/// more, so thousands of systems fit in a few megabytes.
package struct PortfolioSystem: Codable, Sendable, Hashable {
    /// The analysed folder, absolute, as the report names it (its `target_path`):
    /// the system's identity in the portfolio.
    package var path: String
    /// When the system's report was generated (ISO 8601).
    package var generatedAt: String
    /// The state of each built-in pattern, in catalog order (``PatternID/allCases``).
    package var patterns: [PatternState]
    /// Hours of work the report estimates.
    package var hours: Int
    /// Steps in the report's plan.
    package var steps: Int
    /// The complexity score and its level.
    package var complexityScore: Int
    /// The level the complexity score falls in.
    package var complexityLevel: ComplexityLevel
    /// The risk score.
    package var riskScore: Int
    /// The level the risk score falls in.
    package var riskLevel: RiskLevel
    /// True when messages must be moved out of a database or an API.
    package var dataMigrationRequired: Bool
    /// Percent of the checked patterns that are present, rounded down (100 when every
    /// pattern is skipped).
    package var readiness: Int
    /// The migration wave the portfolio's rule puts the system in (1 first).
    package var wave: Int

    /// Every stored property, as the memberwise initializer takes them.
    package init(
        path: String, generatedAt: String, patterns: [PatternState], hours: Int, steps: Int, complexityScore: Int,
        complexityLevel: ComplexityLevel, riskScore: Int, riskLevel: RiskLevel, dataMigrationRequired: Bool,
        readiness: Int, wave: Int
    ) {
        self.path = path
        self.generatedAt = generatedAt
        self.patterns = patterns
        self.hours = hours
        self.steps = steps
        self.complexityScore = complexityScore
        self.complexityLevel = complexityLevel
        self.riskScore = riskScore
        self.riskLevel = riskLevel
        self.dataMigrationRequired = dataMigrationRequired
        self.readiness = readiness
        self.wave = wave
    }

    /// The ids of the patterns that are missing, in catalog order.
    package var gaps: [String] {
        zip(PatternID.allCases, patterns).compactMap { $1 == .missing ? $0.rawValue : nil }
    }
}

/// A rollup of many systems' reports: which patterns each has, what the whole move
/// costs, which systems share the same gaps, and in which order to migrate them.
///
/// It depends only on the set of reports, not on the order they were given in:
/// systems are sorted by path, and every list below has a stated order.
package struct PortfolioReport: Codable, Sendable, Hashable {
    /// The version of the portfolio's JSON layout.
    package static let currentSchemaVersion = "1"
    /// The document's kind, so a portfolio is never mistaken for a single report.
    package static let kindName = "coord-migrate-portfolio"

    /// Sums over every system.
    package struct Totals: Codable, Sendable, Hashable {
        /// Systems in the portfolio.
        package var systems: Int
        /// Hours of work, summed.
        package var hours: Int
        /// Plan steps, summed.
        package var steps: Int
        /// Missing patterns, summed over the systems.
        package var gaps: Int
        /// Systems whose messages must be moved out of a database or an API.
        package var dataMigrations: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(systems: Int, hours: Int, steps: Int, gaps: Int, dataMigrations: Int) {
            self.systems = systems
            self.hours = hours
            self.steps = steps
            self.gaps = gaps
            self.dataMigrations = dataMigrations
        }
    }

    /// How many systems have one pattern, lack it, or skip it.
    package struct PatternCount: Codable, Sendable, Hashable {
        /// The pattern's id.
        package var id: String
        /// Its title.
        package var title: String
        /// Systems where it is present.
        package var present: Int
        /// Systems where it is missing.
        package var missing: Int
        /// Systems that skip it.
        package var skipped: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(id: String, title: String, present: Int, missing: Int, skipped: Int) {
            self.id = id
            self.title = title
            self.present = present
            self.missing = missing
            self.skipped = skipped
        }
    }

    /// How many systems have one level (of complexity or of risk).
    package struct LevelCount: Codable, Sendable, Hashable {
        /// The level, as the reports write it (`simple`, `low`, …).
        package var level: String
        /// Systems at that level.
        package var systems: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(level: String, systems: Int) {
            self.level = level
            self.systems = systems
        }
    }

    /// Systems that lack exactly the same patterns.
    package struct GapGroup: Codable, Sendable, Hashable {
        /// The missing patterns' ids, in catalog order.
        package var gaps: [String]
        /// The systems' paths, sorted.
        package var systems: [String]
        /// Their hours, summed.
        package var hours: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(gaps: [String], systems: [String], hours: Int) {
            self.gaps = gaps
            self.systems = systems
            self.hours = hours
        }
    }

    /// One migration wave: systems to move together, before the next wave.
    package struct Wave: Codable, Sendable, Hashable {
        /// 1 first; a number keeps its meaning from portfolio to portfolio (empty waves are left out).
        package var number: Int
        /// Which systems the wave holds, in words.
        package var criterion: String
        /// The systems' paths, in the order to migrate them.
        package var systems: [String]
        /// Their hours, summed.
        package var hours: Int

        /// Every stored property, as the memberwise initializer takes them.
        package init(number: Int, criterion: String, systems: [String], hours: Int) {
            self.number = number
            self.criterion = criterion
            self.systems = systems
            self.hours = hours
        }
    }

    /// ``currentSchemaVersion``.
    package var schemaVersion: String
    /// ``kindName``.
    package var kind: String
    /// The program and version that wrote the portfolio.
    package var tool: MigrationReport.Tool
    /// The latest `generated_at` of the systems' reports (empty for an empty portfolio),
    /// so the same reports always give the same document.
    package var generatedAt: String
    /// The built-in patterns' ids: the matrix's columns, in catalog order.
    package var patterns: [String]
    /// Every system, sorted by path: the matrix's rows.
    package var systems: [PortfolioSystem]
    /// Sums over every system.
    package var totals: Totals
    /// Each pattern's counts, in catalog order.
    package var patternCounts: [PatternCount]
    /// Systems per complexity level, simplest first, every level listed.
    package var complexityDistribution: [LevelCount]
    /// Systems per risk level, lowest first, every level listed.
    package var riskDistribution: [LevelCount]
    /// Systems grouped by their exact set of gaps: largest group first, then by the gaps.
    package var gapGroups: [GapGroup]
    /// How systems are put into waves, in words.
    package var waveRule: String
    /// The waves, first first.
    package var waves: [Wave]

    /// Every stored property, as the memberwise initializer takes them.
    package init(
        schemaVersion: String, kind: String, tool: MigrationReport.Tool, generatedAt: String, patterns: [String],
        systems: [PortfolioSystem], totals: Totals, patternCounts: [PatternCount], complexityDistribution: [LevelCount],
        riskDistribution: [LevelCount], gapGroups: [GapGroup], waveRule: String, waves: [Wave]
    ) {
        self.schemaVersion = schemaVersion
        self.kind = kind
        self.tool = tool
        self.generatedAt = generatedAt
        self.patterns = patterns
        self.systems = systems
        self.totals = totals
        self.patternCounts = patternCounts
        self.complexityDistribution = complexityDistribution
        self.riskDistribution = riskDistribution
        self.gapGroups = gapGroups
        self.waveRule = waveRule
        self.waves = waves
    }

    /// The portfolio as JSON (sorted snake_case keys, like the report), ending in a newline.
    package func jsonData() throws -> Data {
        var data = try MigrationReport.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a portfolio written by this tool, refusing other kinds and versions.
    package static func decode(_ data: Data) throws(MigrationReport.DecodingError) -> PortfolioReport {
        struct Header: Decodable { var kind: String?; var schemaVersion: String? }
        let decoder = MigrationReport.jsonDecoder()
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw MigrationReport.DecodingError(description: "not a JSON portfolio: malformed JSON")
        }
        guard header.kind == kindName else {
            throw MigrationReport.DecodingError(description: "not a coord-migrate portfolio: its kind is not \(kindName)")
        }
        guard header.schemaVersion == currentSchemaVersion else {
            throw MigrationReport.DecodingError(
                description: "portfolio schema_version \(header.schemaVersion ?? "(none)") is not supported (this coord-migrate reads version \(currentSchemaVersion))")
        }
        do {
            return try decoder.decode(PortfolioReport.self, from: data)
        } catch {
            throw MigrationReport.DecodingError(description: "the portfolio does not match schema version \(currentSchemaVersion)")
        }
    }
}
