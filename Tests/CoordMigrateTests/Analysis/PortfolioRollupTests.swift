@testable import CoordMigrateModel
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// A summary built directly: `present` patterns from the start of the catalog, the
/// rest missing, `skipped` from the end skipped.
private func system(
    _ path: String, present: Int, skipped: Int = 0, hours: Int = 4, risk: RiskLevel = .low,
    complexity: ComplexityLevel = .simple, generatedAt: String = "2026-11-25T08:00:00Z"
) -> PortfolioSystem {
    let states = (0..<8).map { index -> PatternState in
        index >= 8 - skipped ? .skipped : index < present ? .present : .missing
    }
    let checked = 8 - skipped
    let readiness = checked == 0 ? 100 : min(present, checked) * 100 / checked
    return PortfolioSystem(
        path: path, generatedAt: generatedAt, patterns: states, hours: hours, steps: 7, complexityScore: 1,
        complexityLevel: complexity, riskScore: risk.rank * 2, riskLevel: risk, dataMigrationRequired: risk == .high,
        readiness: readiness, wave: PortfolioRollup.wave(risk: risk, readiness: readiness))
}

@Suite("Portfolio rollup")
struct PortfolioRollupTests {
    @Test("the summary of a real report: states, readiness, hours and steps come from the report")
    func summaryOfSample() throws {
        let report = try sampleReport("agent-bridge")
        let summary = PortfolioRollup.summary(of: report)
        #expect(summary.path == report.targetPath)
        #expect(summary.gaps == report.detection.gaps.map(\.rawValue))
        #expect(summary.hours == report.complexity.estimatedHours)
        #expect(summary.steps == report.plan.steps.count)
        #expect(summary.riskLevel == report.complexity.riskLevel)
        let present = report.detection.existingPatterns.count
        #expect(summary.readiness == present * 100 / 8)
    }

    @Test("a skipped pattern is neither present nor a gap, and leaves readiness's denominator")
    func skippedPattern() throws {
        var report = try sampleReport("agent-bridge")
        let gap = try #require(report.detection.gaps.first)
        let index = try #require(report.detection.patterns.firstIndex { $0.id == gap.rawValue })
        report.detection.patterns[index].skippedReason = "not ours"
        report.detection.skippedPatterns = [gap.rawValue]
        let summary = PortfolioRollup.summary(of: report)
        #expect(summary.patterns[PatternID.allCases.firstIndex(of: gap)!] == .skipped)
        #expect(!summary.gaps.contains(gap.rawValue))
        #expect(summary.readiness == report.detection.existingPatterns.count * 100 / 7)
    }

    @Test("the rollup does not depend on the order of the systems")
    func orderIndependent() throws {
        let systems = (0..<40).map { index in
            system("/srv/s\(index)", present: index % 9, hours: index, risk: RiskLevel.allCases[index % 3])
        }
        let expected = try PortfolioRollup.rollUp(systems).jsonData()
        var generator = SplitMix64(seed: 7)
        for _ in 0..<5 {
            #expect(try PortfolioRollup.rollUp(systems.shuffled(using: &generator)).jsonData() == expected)
        }
    }

    @Test("totals, distributions and pattern counts add up")
    func totals() throws {
        let portfolio = try PortfolioRollup.rollUp([
            system("/a", present: 8, hours: 4), system("/b", present: 2, hours: 16, risk: .medium, complexity: .moderate),
            system("/c", present: 0, skipped: 2, hours: 80, risk: .high, complexity: .veryComplex),
        ])
        #expect(portfolio.totals == .init(systems: 3, hours: 100, steps: 21, gaps: 0 + 6 + 6, dataMigrations: 1))
        #expect(portfolio.complexityDistribution.map(\.systems) == [1, 1, 0, 1])
        #expect(portfolio.riskDistribution.map(\.systems) == [1, 1, 1])
        #expect(portfolio.patternCounts[0].present == 2)
        #expect(portfolio.patternCounts[7].skipped == 1)
        for count in portfolio.patternCounts { #expect(count.present + count.missing + count.skipped == 3) }
        #expect(portfolio.systems.map(\.path) == ["/a", "/b", "/c"])
    }

    @Test("waves: low risk and ready first, the rule stated, each system in exactly one wave")
    func waves() throws {
        let portfolio = try PortfolioRollup.rollUp([
            system("/high-ready", present: 6, risk: .high), system("/low-unready", present: 1),
            system("/low-ready-b", present: 4, hours: 8), system("/low-ready-a", present: 4, hours: 8),
            system("/low-readier", present: 7, hours: 40), system("/medium", present: 5, risk: .medium),
        ])
        #expect(portfolio.waves.map(\.number) == [1, 2, 3, 5])
        #expect(portfolio.waves[0].systems == ["/low-readier", "/low-ready-a", "/low-ready-b"])
        #expect(portfolio.waves[0].criterion == "low risk, at least half of the patterns present")
        #expect(portfolio.waves[1].systems == ["/low-unready"])
        #expect(portfolio.waves[3].systems == ["/high-ready"])
        #expect(portfolio.waves[3].criterion == "high risk, at least half of the patterns present")
        #expect(portfolio.waveRule.contains("risk"))
        #expect(portfolio.waves.flatMap(\.systems).sorted() == portfolio.systems.map(\.path).sorted())
        for system in portfolio.systems {
            #expect(portfolio.waves.first { $0.systems.contains(system.path) }?.number == system.wave)
        }
    }

    @Test("systems that lack the same patterns are grouped, the largest group first")
    func gapGroups() throws {
        let portfolio = try PortfolioRollup.rollUp([
            system("/x", present: 6), system("/y", present: 6), system("/z", present: 6, hours: 10),
            system("/w", present: 8), system("/v", present: 3),
        ])
        #expect(portfolio.gapGroups.map(\.systems) == [["/x", "/y", "/z"], ["/v"], ["/w"]])
        #expect(portfolio.gapGroups[0].gaps == ["fault-tolerant-wrappers", "tla-verification"])
        #expect(portfolio.gapGroups[0].hours == 18)
        #expect(portfolio.gapGroups[2].gaps.isEmpty)
    }

    @Test("two summaries of one system are refused, naming it")
    func duplicate() {
        #expect(throws: PortfolioRollup.DuplicateSystem.self) {
            try PortfolioRollup.rollUp([system("/same", present: 1), system("/same", present: 2)])
        }
    }

    @Test("an empty portfolio is well formed")
    func empty() throws {
        let portfolio = try PortfolioRollup.rollUp([])
        #expect(portfolio.totals.systems == 0)
        #expect(portfolio.generatedAt == "")
        #expect(portfolio.waves.isEmpty)
        #expect(try PortfolioReport.decode(portfolio.jsonData()) == portfolio)
    }

    @Test("the JSON reads back equal")
    func roundTrip() throws {
        let portfolio = try PortfolioRollup.rollUp([system("/a", present: 3), system("/b\u{1B}[31m", present: 5, risk: .medium)])
        #expect(try PortfolioReport.decode(portfolio.jsonData()) == portfolio)
        #expect(throws: MigrationReport.DecodingError.self) { try PortfolioReport.decode(Data("{\"schema_version\":\"1\"}".utf8)) }
        #expect(throws: MigrationReport.DecodingError.self) { try PortfolioReport.decode(Data("[".utf8)) }
    }

    @Test("hostile paths are escaped in Markdown and HTML")
    func hostilePaths() throws {
        let portfolio = try PortfolioRollup.rollUp([
            system("/srv/<script>alert(1)</script>", present: 2), system("/srv/a|b\n# c *d*", present: 2),
            system("/srv/\u{1B}]0;x\u{07}", present: 2),
        ])
        let html = PortfolioEmitter.html(portfolio)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("\u{1B}"))
        let markdown = PortfolioEmitter.markdown(portfolio)
        #expect(markdown.contains(##"/srv/a\|b \# c \*d\*"##))
        #expect(!markdown.contains("\u{1B}"))
        #expect(!markdown.contains("\n# c"))
    }
}

extension PortfolioRollupTests {
    @Test("cmark reads the Markdown back: one heading per wave, each wave's systems as its ordered list, hostile paths intact")
    func markdownReadBack() throws {
        let paths = ["/srv/plain", "/srv/<b>x</b>", "/srv/a|b *c* `d`", "/srv/1. not a list", "/srv/[link](http://x)"]
        let portfolio = try PortfolioRollup.rollUp(paths.enumerated().map { index, path in
            system(path, present: index * 2, risk: index == 4 ? .high : .low)
        })
        let document = CMark.parse(PortfolioEmitter.markdown(portfolio))
        #expect(!document.all.contains { $0.kind == .htmlInline || $0.kind == .htmlBlock || $0.kind == .link })
        let blocks = document.children
        var waves: [(String, [String])] = []
        for (index, block) in blocks.enumerated() where block.kind == .heading && block.level == 3 && block.plainText.hasPrefix("Wave ") {
            let list = try #require(blocks[(index + 1)...].first { $0.kind == .list })
            #expect(list.listOrdered)
            waves.append((block.plainText, list.children.map(\.plainText)))
        }
        #expect(waves.map(\.0) == portfolio.waves.map { "Wave \($0.number): \($0.criterion)" })
        #expect(waves.map(\.1) == portfolio.waves.map(\.systems))
    }
}

@Suite("Portfolio diff")
struct PortfolioDiffTests {
    @Test("systems gained, lost, improved and regressed; only a worse system is a regression")
    func diff() throws {
        let old = try PortfolioRollup.rollUp([
            system("/same", present: 4), system("/better", present: 3, hours: 16), system("/worse", present: 5),
            system("/riskier", present: 5), system("/retired", present: 1),
        ])
        let new = try PortfolioRollup.rollUp([
            system("/same", present: 4), system("/better", present: 5, hours: 4), system("/worse", present: 4),
            system("/riskier", present: 5, risk: .high), system("/added", present: 2),
        ])
        let diff = PortfolioDiff(old: old, new: new)
        #expect(diff.systemsGained == ["/added"])
        #expect(diff.systemsLost == ["/retired"])
        #expect(diff.improved.map(\.path) == ["/better"])
        #expect(diff.improved[0].patternsGained == ["authority-domains", "priority-queue"])
        #expect(diff.improved[0].changes.contains("hours: 16 → 4"))
        #expect(diff.regressed.map(\.path) == ["/riskier", "/worse"])
        #expect(diff.regressed[1].patternsLost == ["priority-queue"])
        #expect(diff.regressions == ["/riskier: risk: low → high, wave: 1 → 5", "/worse: lost priority-queue, readiness: 62% → 50%"])
        #expect(PortfolioDiff(old: old, new: old).regressions.isEmpty)
        let document = CMark.parse(diff.markdown())
        #expect(document.all.filter { $0.kind == .heading }.map(\.plainText)
            == ["Portfolio progress", "Regressed", "Improved", "Systems gained", "Systems lost"])
    }
}

@Suite("Portfolio shards")
struct PortfolioShardTests {
    @Test("the path hash is FNV-1a 64, the same in every run")
    func hash() {
        #expect(PortfolioBuilder.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(PortfolioBuilder.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(PortfolioBuilder.stableHash("foobar") == 0x85944171f73967e8)
    }

    @Test("every path falls in exactly one shard, and stays there when the list grows")
    func partition() throws {
        let paths = (0..<500).map { "repos/team-\($0)/coordination" }
        let shards = try (1...4).map { try PortfolioBuilder.Shard(parsing: "\($0)/4") }
        for path in paths { #expect(shards.count { $0.contains(path) } == 1) }
        let sizes = shards.map { shard in paths.count(where: shard.contains) }
        #expect(sizes.allSatisfy { $0 > 80 }, "shards are uneven: \(sizes)")
        let grown = paths + (0..<100).map { "repos/new-\($0)" }
        for shard in shards { #expect(paths.filter(shard.contains) == grown.filter(shard.contains).filter(paths.contains)) }
    }

    @Test("i/n is checked", arguments: ["0/4", "5/4", "1/0", "a/b", "1/", "/2", "1/2/3", "1/10001", ""])
    func badShard(text: String) {
        #expect(throws: RequestError.self) { try PortfolioBuilder.Shard(parsing: text) }
    }

    @Test("lists: comments, blank lines, CRLF and repeats")
    func lists() {
        #expect(PortfolioBuilder.paths(inList: "# systems\r\na\r\n\n  \nb\na\n#c\n") == ["a", "b"])
    }
}
