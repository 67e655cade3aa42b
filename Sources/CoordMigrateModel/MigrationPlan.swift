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
    package init(path: String, line: Int? = nil, why: String) {
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

/// One phase's share of the plan's effort: the durations of the plan's steps in that phase, added up.
public struct PhaseEstimate: Codable, Sendable, Hashable {
    /// The phase, as the steps name it.
    public var phase: Phase
    /// The phase's share of the effort, in percent of the middle of its range (the shares add up to about 100).
    public var percent: Int
    /// The middle of ``range``, in hours (rounded to hundredths).
    public var hours: Double
    /// The phase's steps' durations added up, shortest and longest.
    public var range: HoursRange
    /// How many steps of the plan are in the phase.
    public var steps: Int

    /// Every stored property, as the memberwise initializer takes them.
    package init(phase: Phase, percent: Int, hours: Double, range: HoursRange, steps: Int) {
        self.phase = phase
        self.percent = percent
        self.hours = hours
        self.range = range
        self.steps = steps
    }

    /// The plan's steps grouped by phase, in the order the phases first appear.
    package static func split(_ steps: [MigrationStep]) -> [PhaseEstimate] {
        var order: [Phase] = []
        var ranges: [Phase: [HoursRange]] = [:]
        for step in steps {
            if ranges[step.phase] == nil { order.append(step.phase) }
            ranges[step.phase, default: []].append(step.durationHours)
        }
        let total = HoursRange.sum(steps.map(\.durationHours))
        let middle = (total.low + total.high) / 2
        return order.map { phase in
            let range = HoursRange.sum(ranges[phase] ?? []).rounded
            let hours = (((range.low + range.high) / 2) * 100).rounded() / 100
            return PhaseEstimate(
                phase: phase, percent: middle > 0 ? Int((hours / middle * 100).rounded()) : 0, hours: hours, range: range,
                steps: ranges[phase]?.count ?? 0)
        }
    }
}

/// The plan's effort: one figure, the durations of its steps added up, and its split by phase.
/// The seed's scored estimate is kept beside it (``totalHours``, ``estimate``) so reports stay
/// comparable with the original script's; people are shown the effort.
public struct Timeline: Codable, Sendable, Hashable {
    /// The seed formula's hours: ``ComplexityResult/estimatedHours``, kept for comparison with the original script.
    public var totalHours: Int
    /// The seed formula's hours in words ("3 days"), the same as ``MigrationPlan/estimatedTimeline``.
    public var estimate: String
    /// The plan's effort: its steps' durations added up, the same as ``MigrationPlan/stepHoursTotal``.
    public var effort: HoursRange
    /// ``effort`` in working days or weeks, counted with the policy's day and week ("2–4 working days").
    public var effortEstimate: String
    /// Each phase's steps added up, in the order the steps go; the ranges add up to ``effort``.
    public var phases: [PhaseEstimate]
    /// The data the data phase moves, when it was measured in the database.
    public var dataVolume: DataVolume?

    /// Every stored property, as the memberwise initializer takes them.
    package init(totalHours: Int, estimate: String, effort: HoursRange, effortEstimate: String, phases: [PhaseEstimate], dataVolume: DataVolume? = nil) {
        self.totalHours = totalHours
        self.estimate = estimate
        self.effort = effort
        self.effortEstimate = effortEstimate
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
    /// The plan's overall risk: the riskiest of its steps (``rule``). The cutover step carries
    /// the scored risk, so the overall is never below it.
    public var level: RiskLevel
    /// The seed formula's risk score (``ComplexityResult/riskScore``).
    public var score: Int
    /// How ``level`` follows from the steps, in one sentence.
    public var rule: String
    /// What the migration changes for the system's users, in words.
    public var breakingChanges: [String]
    /// What to do to lower the risk.
    public var mitigations: [String]

    /// Every stored property, as the memberwise initializer takes them.
    package init(level: RiskLevel, score: Int, rule: String, breakingChanges: [String], mitigations: [String]) {
        self.level = level
        self.score = score
        self.rule = rule
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
    /// The seed formula's estimate in words, the same as ``Timeline/estimate``: kept so reports
    /// compare with the original script's. The plan's effort is ``stepHoursTotal``.
    public var estimatedTimeline: String
    /// The plan's effort: its steps' own durations added up, in hours (rounded to hundredths).
    /// Every format shows this figure; the seed's scored hours stay in the score breakdown.
    public var stepHoursTotal: HoursRange
    /// Why the plan has no migration steps, when it has none (no coordination system was found).
    public var noSystem: String?
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
        case successCriteria, recommendedStrategy, noSystem
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
        noSystem = try c.decodeIfPresent(String.self, forKey: .noSystem)
    }
}

extension PhaseEstimate {
    enum CodingKeys: String, CodingKey { case phase, percent, hours, range, steps }

    /// Reads a phase, accepting reports written before phases were the steps' sums: the range
    /// is then the hours, and the step count zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let hours = try c.decode(Double.self, forKey: .hours)
        try self.init(
            phase: c.decode(Phase.self, forKey: .phase), percent: c.decode(Int.self, forKey: .percent), hours: hours,
            range: c.decodeIfPresent(HoursRange.self, forKey: .range) ?? HoursRange(low: hours, high: hours),
            steps: c.decodeIfPresent(Int.self, forKey: .steps) ?? 0)
    }
}

extension Timeline {
    enum CodingKeys: String, CodingKey { case totalHours, estimate, effort, effortEstimate, phases, dataVolume }

    /// Reads a timeline, accepting reports written before the effort was kept: it is then the
    /// seed's hours.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let total = try c.decode(Int.self, forKey: .totalHours)
        let estimate = try c.decode(String.self, forKey: .estimate)
        try self.init(
            totalHours: total, estimate: estimate,
            effort: c.decodeIfPresent(HoursRange.self, forKey: .effort) ?? HoursRange(low: Double(total), high: Double(total)),
            effortEstimate: c.decodeIfPresent(String.self, forKey: .effortEstimate) ?? estimate,
            phases: c.decode([PhaseEstimate].self, forKey: .phases),
            dataVolume: c.decodeIfPresent(DataVolume.self, forKey: .dataVolume))
    }
}

extension RiskAssessment {
    enum CodingKeys: String, CodingKey { case level, score, rule, breakingChanges, mitigations }

    /// Reads a risk assessment, accepting reports written before the rule was kept.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            level: c.decode(RiskLevel.self, forKey: .level), score: c.decode(Int.self, forKey: .score),
            rule: c.decodeIfPresent(String.self, forKey: .rule) ?? RiskAssessment.riskiestStepRule,
            breakingChanges: c.decode([String].self, forKey: .breakingChanges),
            mitigations: c.decode([String].self, forKey: .mitigations))
    }

    /// The one rule the overall risk follows.
    package static let riskiestStepRule =
        "the plan's risk is its riskiest step's; the cutover carries the risk scored for the system, and is never below medium"
}
