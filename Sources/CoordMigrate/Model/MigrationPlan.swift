/// One step of the migration.
public struct MigrationStep: Codable, Sendable, Hashable {
    public var number: Int
    public var phase: Phase
    public var title: String
    /// What the step does and why, as a CommonMark passage (untrusted values in it are escaped).
    public var description: String
    /// Shell commands, each ready to paste; paths inside are shell-quoted.
    public var commands: [String]
    public var duration: String
    public var risk: RiskLevel
    /// The pattern this step implements, for pattern steps.
    public var pattern: PatternID?
    /// Where to read more, for pattern steps.
    public var documentation: String?
}

/// One stage of rolling back.
public struct RollbackStage: Codable, Sendable, Hashable {
    public var title: String
    public var actions: [String]
    public var commands: [String]
}

/// How to undo the migration if it goes wrong.
public struct RollbackStrategy: Codable, Sendable, Hashable {
    public var stages: [RollbackStage]
    public var timeToRollback: String
    public var dataLossRisk: String
}

/// One kind of test in the testing strategy.
public struct TestSuitePlan: Codable, Sendable, Hashable {
    public var name: String
    public var purpose: String
    public var checks: [String]
    public var commands: [String]
}

/// How to prove the migrated system works.
public struct TestingStrategy: Codable, Sendable, Hashable {
    public var unit: TestSuitePlan
    public var integration: TestSuitePlan
    public var performance: TestSuitePlan
    /// The measured volume the performance tests must sustain.
    public var targetMessagesPerDay: Int
    public var acceptanceCriteria: [String]
}

/// One phase's share of the estimate.
public struct PhaseEstimate: Codable, Sendable, Hashable {
    public var phase: Phase
    /// The share of the total, in percent.
    public var percent: Int
    public var hours: Double
}

/// The estimate split by phase.
public struct Timeline: Codable, Sendable, Hashable {
    public var totalHours: Int
    public var estimate: String
    public var phases: [PhaseEstimate]
    /// The data the data phase moves, when it was measured in the database.
    public var dataVolume: DataVolume?
}

/// The data a migration has to move, as measured in the system's database.
public struct DataVolume: Codable, Sendable, Hashable {
    /// Message and event rows; absent when a table could not be counted.
    public var rows: Int?
    /// Bytes of the message and event tables; absent when the engine cannot tell.
    public var bytes: Int?
    /// The tables the rows are in.
    public var tables: [String]
    /// One sentence: how much, from where.
    public var summary: String
}

/// What could go wrong, and what to do about it.
public struct RiskAssessment: Codable, Sendable, Hashable {
    public var level: RiskLevel
    public var score: Int
    public var breakingChanges: [String]
    public var mitigations: [String]
}

/// The four ways to migrate.
public enum MigrationStrategyKind: String, Codable, Sendable, CaseIterable {
    case greenfield
    case parallel
    case direct
    case hybrid
}

/// The way to migrate that suits this system, and why.
public struct RecommendedStrategy: Codable, Sendable, Hashable {
    public var strategy: MigrationStrategyKind
    public var name: String
    public var reason: String
    public var approach: [String]
    public var timeline: String
}

/// The whole plan.
public struct MigrationPlan: Codable, Sendable, Hashable {
    public var steps: [MigrationStep]
    public var rollbackStrategy: RollbackStrategy
    public var testingStrategy: TestingStrategy
    public var estimatedTimeline: String
    public var timeline: Timeline
    public var riskAssessment: RiskAssessment
    public var successCriteria: [String]
    public var recommendedStrategy: RecommendedStrategy
}
