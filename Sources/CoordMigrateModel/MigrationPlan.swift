/// One step of the migration.
public struct MigrationStep: Codable, Sendable, Hashable {
    /// The step's position in the plan, from 1.
    public var number: Int
    /// The phase the step belongs to.
    public var phase: Phase
    /// A short imperative title, e.g. "Backup existing system" or "Implement event-sourcing".
    public var title: String
    /// What the step does and why, as a CommonMark passage (untrusted values in it are escaped).
    public var description: String
    /// Shell commands, each ready to paste; paths inside are shell-quoted.
    public var commands: [String]
    /// How long the step takes, as the policy's step durations write it ("30 minutes",
    /// "2-4 hours").
    public var duration: String
    /// ``duration`` as numbers of hours, rounded to hundredths: "2-4 hours" is 2 to 4,
    /// "10 minutes" 0.17 to 0.17, a day the policy's working day.
    public var durationHours: HoursRange
    /// How risky the step is.
    public var risk: RiskLevel
    /// The pattern this step implements, for pattern steps.
    public var pattern: PatternID?
    /// Where to read more, for pattern steps.
    public var documentation: String?
    /// The places in this system the step changes, from the system map (the programs that
    /// read the inboxes, the lines that name messages…); absent when the map shows none.
    public var touchPoints: [TouchPoint]?
    /// Touch points found beyond those listed.
    public var touchPointsOmitted: Int?

    /// Every stored property, as the memberwise initializer takes them.
    /// `durationHours` defaults to ``duration`` read as numbers with 8-hour days (zero
    /// when it is not a duration).
    package init(number: Int, phase: Phase, title: String, description: String, commands: [String], duration: String, durationHours: HoursRange? = nil, risk: RiskLevel, pattern: PatternID? = nil, documentation: String? = nil) {
        self.number = number
        self.phase = phase
        self.title = title
        self.description = description
        self.commands = commands
        self.duration = duration
        self.durationHours = durationHours ?? (HoursRange(duration: duration) ?? .zero).rounded
        self.risk = risk
        self.pattern = pattern
        self.documentation = documentation
    }
}

extension MigrationStep {
    enum CodingKeys: String, CodingKey {
        case number, phase, title, description, commands, duration, durationHours, risk, pattern, documentation, touchPoints
        case touchPointsOmitted
    }

    /// Reads a step, accepting reports written before `duration_hours` existed: the
    /// numbers are then read from `duration`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let duration = try c.decode(String.self, forKey: .duration)
        try self.init(
            number: c.decode(Int.self, forKey: .number), phase: c.decode(Phase.self, forKey: .phase),
            title: c.decode(String.self, forKey: .title), description: c.decode(String.self, forKey: .description),
            commands: c.decode([String].self, forKey: .commands), duration: duration,
            durationHours: c.decodeIfPresent(HoursRange.self, forKey: .durationHours),
            risk: c.decode(RiskLevel.self, forKey: .risk), pattern: c.decodeIfPresent(PatternID.self, forKey: .pattern),
            documentation: c.decodeIfPresent(String.self, forKey: .documentation))
        touchPoints = try c.decodeIfPresent([TouchPoint].self, forKey: .touchPoints)
        touchPointsOmitted = try c.decodeIfPresent(Int.self, forKey: .touchPointsOmitted)
    }
}

/// A place in the analysed system a step changes: a file, the line when code shows it, and why.
public struct TouchPoint: Codable, Sendable, Hashable {
    /// Relative to the analysed folder.
    public var path: String
    /// 1-based, when the place is a line of code.
    public var line: Int?
    /// What is there and what to change, in a sentence.
    public var why: String

    /// A touch point at `path` (and 1-based `line`).
    public init(path: String, line: Int? = nil, why: String) {
        self.path = path
        self.line = line
        self.why = why
    }

    /// `path` or `path:line`.
    public var location: String {
        if let line { "\(path):\(line)" } else { path }
    }
}

/// One stage of rolling back.
public struct RollbackStage: Codable, Sendable, Hashable {
    /// What the stage does, e.g. "Restore the backup".
    public var title: String
    /// What to do, in words, in order.
    public var actions: [String]
    /// Shell commands for the stage, ready to paste with paths shell-quoted; empty when
    /// the stage is done by hand.
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
    /// The stages, in the order to carry them out.
    public var stages: [RollbackStage]
    /// How long a rollback takes at the system's scale, from "5-10 minutes" to "1-2 hours".
    public var timeToRollback: String
    /// How much data a rollback may lose at the system's scale: `minimal`, `low`,
    /// `low-medium` or `medium`.
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
    /// The suite's name, e.g. "Unit tests".
    public var name: String
    /// What the suite proves, in a sentence.
    public var purpose: String
    /// The behaviours to check.
    public var checks: [String]
    /// Commands that exercise them.
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
    /// Tests of each operation on its own.
    public var unit: TestSuitePlan
    /// Tests of whole workflows across agents.
    public var integration: TestSuitePlan
    /// Tests that the system keeps up with ``targetMessagesPerDay``.
    public var performance: TestSuitePlan
    /// The measured volume the performance tests must sustain.
    public var targetMessagesPerDay: Int
    /// What must hold before the cutover.
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
    /// The phase.
    public var phase: Phase
    /// The share of the total, in percent.
    public var percent: Int
    /// The phase's hours: the total times ``percent`` / 100, not rounded.
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
    /// The estimated hours: ``ComplexityResult/estimatedHours``.
    public var totalHours: Int
    /// The hours in words, e.g. "3 days" or "2 weeks", counted with the policy's day,
    /// week and month hours.
    public var estimate: String
    /// Each phase's share: preparation 10 %, configuration 15 %, data 30 %, patterns 30 %,
    /// testing 10 %, deployment 5 %.
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
    /// The risk level.
    public var level: RiskLevel
    /// The risk score behind ``level``.
    public var score: Int
    /// What the migration changes for the system's users, in words.
    public var breakingChanges: [String]
    /// What to do to lower the risk.
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
    /// Nothing to carry over: build the new system from scratch.
    case greenfield
    /// Run the new system beside the old one and move workflows over gradually.
    case parallel
    /// Back up, follow the steps in order, validate and cut over in one go.
    case direct
    /// Keep the existing store as the backing store while the patterns arrive one by one.
    case hybrid
}

/// The way to migrate that suits this system, and why.
public struct RecommendedStrategy: Codable, Sendable, Hashable {
    /// Which of the four ways.
    public var strategy: MigrationStrategyKind
    /// Its display name, e.g. "Parallel".
    public var name: String
    /// Why it suits this system, in a sentence or two.
    public var reason: String
    /// How to go about it, in order.
    public var approach: [String]
    /// Roughly how long it takes, in words, e.g. "weeks to months, gradual".
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
    /// The steps in the order to carry them out, numbered from 1: backup, install, agent
    /// configuration and message migration when needed, the event log when missing, one per gap,
    /// test and cutover.
    public var steps: [MigrationStep]
    /// How to undo the migration.
    public var rollbackStrategy: RollbackStrategy
    /// How to prove the migrated system works.
    public var testingStrategy: TestingStrategy
    /// The estimate in words, the same as ``Timeline/estimate``.
    public var estimatedTimeline: String
    /// The steps' own durations added up, in hours (rounded to hundredths): what doing
    /// every step once takes. The headline estimate (``ComplexityResult/estimatedHours``)
    /// is the scoring's figure for the whole migration and is not derived from it.
    public var stepHoursTotal: HoursRange
    /// The estimate in hours, split by phase.
    public var timeline: Timeline
    /// The risk, and what to do about it.
    public var riskAssessment: RiskAssessment
    /// What must be true when the migration is done.
    public var successCriteria: [String]
    /// The way to migrate that suits this system.
    public var recommendedStrategy: RecommendedStrategy

    /// Every stored property, as the memberwise initializer takes them.
    /// `stepHoursTotal` defaults to the steps' ``MigrationStep/durationHours`` added up.
    package init(steps: [MigrationStep], rollbackStrategy: RollbackStrategy, testingStrategy: TestingStrategy, estimatedTimeline: String, timeline: Timeline, riskAssessment: RiskAssessment, successCriteria: [String], recommendedStrategy: RecommendedStrategy, stepHoursTotal: HoursRange? = nil) {
        self.steps = steps
        self.stepHoursTotal = stepHoursTotal ?? HoursRange.sum(steps.map(\.durationHours)).rounded
        self.rollbackStrategy = rollbackStrategy
        self.testingStrategy = testingStrategy
        self.estimatedTimeline = estimatedTimeline
        self.timeline = timeline
        self.riskAssessment = riskAssessment
        self.successCriteria = successCriteria
        self.recommendedStrategy = recommendedStrategy
    }
}

extension MigrationPlan {
    enum CodingKeys: String, CodingKey {
        case steps, rollbackStrategy, testingStrategy, estimatedTimeline, stepHoursTotal, timeline, riskAssessment
        case successCriteria, recommendedStrategy
    }

    /// Reads a plan, accepting reports written before `step_hours_total` existed: the
    /// total is then the steps' durations added up.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            steps: c.decode([MigrationStep].self, forKey: .steps),
            rollbackStrategy: c.decode(RollbackStrategy.self, forKey: .rollbackStrategy),
            testingStrategy: c.decode(TestingStrategy.self, forKey: .testingStrategy),
            estimatedTimeline: c.decode(String.self, forKey: .estimatedTimeline),
            timeline: c.decode(Timeline.self, forKey: .timeline),
            riskAssessment: c.decode(RiskAssessment.self, forKey: .riskAssessment),
            successCriteria: c.decode([String].self, forKey: .successCriteria),
            recommendedStrategy: c.decode(RecommendedStrategy.self, forKey: .recommendedStrategy),
            stepHoursTotal: c.decodeIfPresent(HoursRange.self, forKey: .stepHoursTotal))
    }
}
