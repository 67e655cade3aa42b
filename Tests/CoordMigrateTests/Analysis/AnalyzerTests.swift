@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import Testing

/// One row of the arithmetic table: the inputs of DESIGN §4 and what they must give.
struct ArithmeticCase: Sendable, CustomTestStringConvertible {
    var name: String
    var messageSystem: MessageSystemType
    var eventLog: Bool
    var inbox: Bool
    var scale: Scale
    var gaps: Int
    // Expected
    var score: Int
    var level: ComplexityLevel
    var hours: Int
    var riskScore: Int
    var risk: RiskLevel
    var breaking: [String]
    var dataMigration: Bool

    var testDescription: String { name }
}

private let database = "message format change (database → file-based)"
private let api = "API endpoints will change"
private let addEventLog = "event log will be added"
private let architectural = "significant architectural changes required"

/// Each row's numbers are worked out by hand from DESIGN §4, not copied from output.
let arithmeticCases: [ArithmeticCase] = [
    // Complexity level boundaries: 1 | 2, 3 | 4, 5 | 6.
    .init(name: "score 1 → simple (individual, 2 gaps, nothing present)", messageSystem: .none, eventLog: false, inbox: false,
          scale: .individual, gaps: 2, score: 1, level: .simple, hours: 4, riskScore: 0, risk: .low,
          breaking: [addEventLog], dataMigration: false),
    .init(name: "score 2 → moderate (individual, 4 gaps)", messageSystem: .none, eventLog: false, inbox: false,
          scale: .individual, gaps: 4, score: 2, level: .moderate, hours: 16, riskScore: 0, risk: .low,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 3 → moderate, team 16×1.5 = 24", messageSystem: .none, eventLog: false, inbox: false,
          scale: .team, gaps: 4, score: 3, level: .moderate, hours: 24, riskScore: 0, risk: .low,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 4 → complex, individual 40 (my-scripts)", messageSystem: .none, eventLog: false, inbox: false,
          scale: .individual, gaps: 8, score: 4, level: .complex, hours: 40, riskScore: 1, risk: .low,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 4 → complex, team 40×1.5 = 60", messageSystem: .none, eventLog: false, inbox: false,
          scale: .team, gaps: 6, score: 4, level: .complex, hours: 60, riskScore: 1, risk: .low,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 5 → complex, organization 40×2 = 80", messageSystem: .none, eventLog: false, inbox: false,
          scale: .organization, gaps: 6, score: 5, level: .complex, hours: 80, riskScore: 3, risk: .medium,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 6 → very complex, organization 80×2 = 160", messageSystem: .none, eventLog: false, inbox: false,
          scale: .organization, gaps: 8, score: 6, level: .veryComplex, hours: 160, riskScore: 3, risk: .medium,
          breaking: [addEventLog, architectural], dataMigration: false),
    .init(name: "score 7 → very complex, enterprise 80×3 = 240", messageSystem: .none, eventLog: false, inbox: false,
          scale: .enterprise, gaps: 8, score: 7, level: .veryComplex, hours: 240, riskScore: 3, risk: .medium,
          breaking: [addEventLog, architectural], dataMigration: false),
    // Scales with each factor.
    .init(name: "simple team 4×1.5 = 6 (agent-bridge)", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .team, gaps: 2, score: -1, level: .simple, hours: 6, riskScore: 0, risk: .low,
          breaking: [], dataMigration: false),
    .init(name: "simple individual 4, all infrastructure, no gaps", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .individual, gaps: 0, score: -3, level: .simple, hours: 4, riskScore: 0, risk: .low,
          breaking: [], dataMigration: false),
    .init(name: "simple organization 4×2 = 8", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .organization, gaps: 2, score: 0, level: .simple, hours: 8, riskScore: 2, risk: .medium,
          breaking: [], dataMigration: false),
    .init(name: "simple enterprise 4×3 = 12", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .enterprise, gaps: 3, score: 1, level: .simple, hours: 12, riskScore: 2, risk: .medium,
          breaking: [], dataMigration: false),
    .init(name: "moderate organization 16×2 = 32", messageSystem: .none, eventLog: false, inbox: false,
          scale: .organization, gaps: 2, score: 3, level: .moderate, hours: 32, riskScore: 2, risk: .medium,
          breaking: [addEventLog], dataMigration: false),
    .init(name: "moderate enterprise 16×3 = 48 (database)", messageSystem: .database, eventLog: false, inbox: false,
          scale: .enterprise, gaps: 1, score: 2, level: .moderate, hours: 48, riskScore: 4, risk: .high,
          breaking: [database, addEventLog], dataMigration: true),
    .init(name: "complex enterprise 40×3 = 120", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .enterprise, gaps: 8, score: 4, level: .complex, hours: 120, riskScore: 3, risk: .medium,
          breaking: [architectural], dataMigration: false),
    .init(name: "api at organization scale: complex 40×2 = 80, risk 5 → high", messageSystem: .api,
          eventLog: false, inbox: false, scale: .organization, gaps: 8, score: 5, level: .complex, hours: 80,
          riskScore: 5, risk: .high, breaking: [api, addEventLog, architectural], dataMigration: true),
    // Message system types.
    .init(name: "database, team (enterprise-workflow)", messageSystem: .database, eventLog: true, inbox: false,
          scale: .team, gaps: 4, score: 1, level: .simple, hours: 6, riskScore: 2, risk: .medium,
          breaking: [database, architectural], dataMigration: true),
    .init(name: "api, team, 5 gaps", messageSystem: .api, eventLog: true, inbox: false,
          scale: .team, gaps: 5, score: 1, level: .simple, hours: 6, riskScore: 3, risk: .medium,
          breaking: [api, architectural], dataMigration: true),
    .init(name: "none, team, 3 gaps", messageSystem: .none, eventLog: true, inbox: false,
          scale: .team, gaps: 3, score: 1, level: .simple, hours: 6, riskScore: 0, risk: .low,
          breaking: [], dataMigration: false),
    .init(name: "file-based without inbox folders", messageSystem: .fileBased, eventLog: false, inbox: false,
          scale: .individual, gaps: 3, score: 0, level: .simple, hours: 4, riskScore: 0, risk: .low,
          breaking: [addEventLog], dataMigration: false),
    // Risk thresholds: 1 | 2, 3 | 4.
    .init(name: "risk 1 → low (gaps ≥ 5 only)", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .individual, gaps: 5, score: -1, level: .simple, hours: 4, riskScore: 1, risk: .low,
          breaking: [architectural], dataMigration: false),
    .init(name: "risk 2 → medium (api only)", messageSystem: .api, eventLog: true, inbox: true,
          scale: .individual, gaps: 4, score: -1, level: .simple, hours: 4, riskScore: 2, risk: .medium,
          breaking: [api, architectural], dataMigration: true),
    .init(name: "risk 3 → medium (database + 5 gaps)", messageSystem: .database, eventLog: true, inbox: false,
          scale: .individual, gaps: 5, score: 0, level: .simple, hours: 4, riskScore: 3, risk: .medium,
          breaking: [database, architectural], dataMigration: true),
    .init(name: "risk 4 → high (database + organization)", messageSystem: .database, eventLog: true, inbox: false,
          scale: .organization, gaps: 0, score: 0, level: .simple, hours: 8, riskScore: 4, risk: .high,
          breaking: [database], dataMigration: true),
    .init(name: "risk 5 → high (database + enterprise + 6 gaps)", messageSystem: .database, eventLog: true, inbox: false,
          scale: .enterprise, gaps: 6, score: 4, level: .complex, hours: 120, riskScore: 5, risk: .high,
          breaking: [database, architectural], dataMigration: true),
    // Breaking-change boundary: 3 gaps vs 4.
    .init(name: "3 gaps: no architectural change", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .team, gaps: 3, score: -1, level: .simple, hours: 6, riskScore: 0, risk: .low,
          breaking: [], dataMigration: false),
    .init(name: "4 gaps: architectural change", messageSystem: .fileBased, eventLog: true, inbox: true,
          scale: .team, gaps: 4, score: 0, level: .simple, hours: 6, riskScore: 0, risk: .low,
          breaking: [architectural], dataMigration: false),
]

@Suite("Analyzer arithmetic (DESIGN §4)")
struct AnalyzerTests {
    @Test(arguments: arithmeticCases)
    func arithmetic(_ row: ArithmeticCase) {
        let detection = makeDetection(
            messageSystem: row.messageSystem, eventLog: row.eventLog, inbox: row.inbox, scale: row.scale, gaps: row.gaps)
        let result = Analyzer.analyze(detection)
        #expect(result.complexityScore == row.score)
        #expect(result.complexityLevel == row.level)
        #expect(result.estimatedHours == row.hours)
        #expect(result.riskScore == row.riskScore)
        #expect(result.riskLevel == row.risk)
        #expect(result.breakingChanges == row.breaking)
        #expect(result.dataMigrationRequired == row.dataMigration)
    }

    @Test("the breakdown explains each number", arguments: arithmeticCases)
    func breakdownAddsUp(_ row: ArithmeticCase) {
        let detection = makeDetection(
            messageSystem: row.messageSystem, eventLog: row.eventLog, inbox: row.inbox, scale: row.scale, gaps: row.gaps)
        let result = Analyzer.analyze(detection)

        let complexity = result.breakdown.filter { $0.metric == .complexity }
        #expect(complexity.allSatisfy { $0.operation == .add })
        #expect(Int(complexity.map(\.contribution).reduce(0, +)) == result.complexityScore)
        // One −1 per infrastructure item present.
        let infrastructure = complexity.filter { ["message-system", "event-log", "inbox-structure"].contains($0.factor) }
        let present = [row.messageSystem != .none, row.eventLog, row.inbox].filter { $0 }.count
        #expect(infrastructure.count == present)
        #expect(infrastructure.allSatisfy { $0.contribution == -1 })

        let risk = result.breakdown.filter { $0.metric == .risk }
        #expect(Int(risk.map(\.contribution).reduce(0, +)) == result.riskScore)

        let hours = result.breakdown.filter { $0.metric == .hours }
        let base = hours.filter { $0.operation == .base }
        #expect(base.count == 1)
        let product = hours.filter { $0.operation == .multiply }.map(\.contribution).reduce(base.first?.contribution ?? 0, *)
        #expect(Int(product) == result.estimatedHours)
        #expect(result.breakdown.allSatisfy { !$0.reason.isEmpty && !$0.factor.isEmpty })
    }

    @Test("every message system type: risk +2 and data migration only for database and api",
          arguments: MessageSystemType.allCases)
    func messageSystemRisk(_ type: MessageSystemType) {
        let result = Analyzer.analyze(makeDetection(messageSystem: type, scale: .individual, gaps: 0))
        let external = type == .database || type == .api
        #expect(result.riskScore == (external ? 2 : 0))
        #expect(result.dataMigrationRequired == external)
        #expect(result.breakdown.contains { $0.metric == .risk && $0.factor == "message-system" } == external)
    }

    @Test("hours are base × scale factor, truncated",
          arguments: ComplexityLevel.allCases, Scale.allCases)
    func hoursTable(_ level: ComplexityLevel, _ scale: Scale) {
        let base = [ComplexityLevel.simple: 4, .moderate: 16, .complex: 40, .veryComplex: 80][level]!
        let factor = [Scale.individual: 1.0, .team: 1.5, .organization: 2, .enterprise: 3][scale]!
        #expect(Analyzer.baseHours(level) == base)
        #expect(Analyzer.scaleFactor(scale) == factor)
        // The seed's table: e.g. simple team 6, moderate enterprise 48, very complex organization 160.
        let table: [ComplexityLevel: [Int]] = [
            .simple: [4, 6, 8, 12], .moderate: [16, 24, 32, 48], .complex: [40, 60, 80, 120], .veryComplex: [80, 120, 160, 240],
        ]
        #expect(Int(Double(base) * factor) == table[level]![scale.rank])
    }

    @Test("level thresholds", arguments: [
        (-3, ComplexityLevel.simple), (1, .simple), (2, .moderate), (3, .moderate), (4, .complex), (5, .complex),
        (6, .veryComplex), (11, .veryComplex),
    ])
    func levelThresholds(_ score: Int, _ level: ComplexityLevel) {
        #expect(Analyzer.complexityLevel(score: score) == level)
    }

    @Test("risk thresholds", arguments: [
        (0, RiskLevel.low), (1, .low), (2, .medium), (3, .medium), (4, .high), (5, .high),
    ])
    func riskThresholds(_ score: Int, _ level: RiskLevel) {
        #expect(Analyzer.riskLevel(score: score) == level)
    }

    @Test("timeline boundaries", arguments: [
        (1, "1 day"), (8, "1 day"), (9, "1 day"), (16, "2 days"), (40, "5 days"), (41, "1 week"), (79, "1 week"),
        (80, "2 weeks"), (160, "4 weeks"), (161, "1 month"), (319, "1 month"), (320, "2 months"), (480, "3 months"),
    ])
    func timeline(_ hours: Int, _ expected: String) {
        #expect(Analyzer.timeline(hours: hours) == expected)
    }

    @Test("the gap count comes from the detection's gap list")
    func gapsCountedFromList() {
        // Same flags, different gap lists: only the count matters.
        let few = Analyzer.analyze(makeDetection(scale: .team, missing: [.tlaVerification, .eventSourcing]))
        let many = Analyzer.analyze(makeDetection(scale: .team, missing: Array(PatternID.allCases.prefix(7))))
        #expect(few.complexityScore == -3 + 1 + 1)
        #expect(many.complexityScore == -3 + 1 + 3)
        #expect(many.riskScore == 1)
    }
}
