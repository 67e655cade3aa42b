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

    /// Every stored property, as the memberwise initializer takes them.
    package init(number: Int, phase: Phase, title: String, description: String, commands: [String], duration: String, risk: RiskLevel, pattern: PatternID? = nil, documentation: String? = nil) {
        self.number = number
        self.phase = phase
        self.title = title
        self.description = description
        self.commands = commands
        self.duration = duration
        self.risk = risk
        self.pattern = pattern
        self.documentation = documentation
    }
}

/// One stage of rolling back.
public struct RollbackStage: Codable, Sendable, Hashable {
    public var title: String
    public var actions: [String]
    public var commands: [String]

    /// Every stored property, as the memberwise initializer takes them.
    package init(title: String, actions: [String], commands: [String]) {
        self.title = title
        self.actions = actions
        self.commands = commands
    }
}

/// How to undo the migration if it goes wrong.
public struct RollbackStrategy: Codable, Sendable, Hashable {
    public var stages: [RollbackStage]
    public var timeToRollback: String
    public var dataLossRisk: String

    /// Every stored property, as the memberwise initializer takes them.
    package init(stages: [RollbackStage], timeToRollback: String, dataLossRisk: String) {
        self.stages = stages
        self.timeToRollback = timeToRollback
        self.dataLossRisk = dataLossRisk
    }
}

/// One kind of test in the testing strategy.
public struct TestSuitePlan: Codable, Sendable, Hashable {
    public var name: String
    public var purpose: String
    public var checks: [String]
    public var commands: [String]

    /// Every stored property, as the memberwise initializer takes them.
    package init(name: String, purpose: String, checks: [String], commands: [String]) {
        self.name = name
        self.purpose = purpose
        self.checks = checks
        self.commands = commands
    }
}

/// How to prove the migrated system works.
public struct TestingStrategy: Codable, Sendable, Hashable {
    public var unit: TestSuitePlan
    public var integration: TestSuitePlan
    public var performance: TestSuitePlan
    /// The measured volume the performance tests must sustain.
    public var targetMessagesPerDay: Int
    public var acceptanceCriteria: [String]

    /// Every stored property, as the memberwise initializer takes them.
    package init(unit: TestSuitePlan, integration: TestSuitePlan, performance: TestSuitePlan, targetMessagesPerDay: Int, acceptanceCriteria: [String]) {
        self.unit = unit
        self.integration = integration
        self.performance = performance
        self.targetMessagesPerDay = targetMessagesPerDay
        self.acceptanceCriteria = acceptanceCriteria
    }
}

/// One phase's share of the estimate.
public struct PhaseEstimate: Codable, Sendable, Hashable {
    public var phase: Phase
    /// The share of the total, in percent.
    public var percent: Int
    public var hours: Double

    /// Every stored property, as the memberwise initializer takes them.
    package init(phase: Phase, percent: Int, hours: Double) {
        self.phase = phase
        self.percent = percent
        self.hours = hours
    }
}

/// The estimate split by phase.
public struct Timeline: Codable, Sendable, Hashable {
    public var totalHours: Int
    public var estimate: String
    public var phases: [PhaseEstimate]
    /// The data the data phase moves, when it was measured in the database.
    public var dataVolume: DataVolume?

    /// Every stored property, as the memberwise initializer takes them.
    package init(totalHours: Int, estimate: String, phases: [PhaseEstimate], dataVolume: DataVolume? = nil) {
        self.totalHours = totalHours
        self.estimate = estimate
        self.phases = phases
        self.dataVolume = dataVolume
    }
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

    /// Every stored property, as the memberwise initializer takes them.
    package init(rows: Int? = nil, bytes: Int? = nil, tables: [String], summary: String) {
        self.rows = rows
        self.bytes = bytes
        self.tables = tables
        self.summary = summary
    }
}

/// What could go wrong, and what to do about it.
public struct RiskAssessment: Codable, Sendable, Hashable {
    public var level: RiskLevel
    public var score: Int
    public var breakingChanges: [String]
    public var mitigations: [String]

    /// Every stored property, as the memberwise initializer takes them.
    package init(level: RiskLevel, score: Int, breakingChanges: [String], mitigations: [String]) {
        self.level = level
        self.score = score
        self.breakingChanges = breakingChanges
        self.mitigations = mitigations
    }
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

    /// Every stored property, as the memberwise initializer takes them.
    package init(strategy: MigrationStrategyKind, name: String, reason: String, approach: [String], timeline: String) {
        self.strategy = strategy
        self.name = name
        self.reason = reason
        self.approach = approach
        self.timeline = timeline
    }
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

    /// Every stored property, as the memberwise initializer takes them.
    package init(steps: [MigrationStep], rollbackStrategy: RollbackStrategy, testingStrategy: TestingStrategy, estimatedTimeline: String, timeline: Timeline, riskAssessment: RiskAssessment, successCriteria: [String], recommendedStrategy: RecommendedStrategy) {
        self.steps = steps
        self.rollbackStrategy = rollbackStrategy
        self.testingStrategy = testingStrategy
        self.estimatedTimeline = estimatedTimeline
        self.timeline = timeline
        self.riskAssessment = riskAssessment
        self.successCriteria = successCriteria
        self.recommendedStrategy = recommendedStrategy
    }
}
