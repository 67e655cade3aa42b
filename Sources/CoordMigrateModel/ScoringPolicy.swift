/// Every number behind the score and the plan. The defaults are the original
/// tool's; `--policy FILE.yaml` (or `policy:` in `.coord-migrate.yaml`) overrides
/// any of them, and the report then says so.
public struct ScoringPolicy: Sendable, Hashable {
    /// Subtracted from the complexity score for each of message system, event log and inbox structure.
    public var infrastructureCredit = 1
    /// Added to the complexity score by scale.
    public var scaleWeights = Table<Scale, Int>([.individual: 0, .team: 1, .organization: 2, .enterprise: 3])
    /// Gaps are divided by this (rounded down) and added to the complexity score.
    public var gapDivisor = 2
    /// When true, missing custom rules count as gaps in the score (not by default).
    public var countCustomRules = false
    /// The highest score of each level; above `complex` is very complex.
    public var complexityThresholds = Table<ComplexityBound, Int>([.simple: 1, .moderate: 3, .complex: 5])
    /// Hours of work by complexity level, before the scale factor.
    public var baseHours = Table<ComplexityLevel, Int>([.simple: 4, .moderate: 16, .complex: 40, .veryComplex: 80])
    /// What the base hours are multiplied by, by scale (the result is truncated).
    public var scaleFactors = Table<Scale, Double>([.individual: 1, .team: 1.5, .organization: 2, .enterprise: 3])
    /// Risk added by a database or API message system, by organization or enterprise scale, and by many gaps.
    public var riskMessageSystem = 2
    /// Risk added at organization or enterprise scale.
    public var riskScale = 2
    /// Risk added when the gaps reach ``riskGapThreshold``.
    public var riskGaps = 1
    /// How many gaps count as many.
    public var riskGapThreshold = 5
    /// The highest risk score of each level; above `medium` is high.
    public var riskThresholds = Table<RiskBound, Int>([.low: 1, .medium: 3])
    /// The users or messages per day from which each scale starts.
    public var scaleThresholds = Table<ScaleStart, ScaleThreshold>([
        .team: ScaleThreshold(users: 2, messagesPerDay: 100), .organization: ScaleThreshold(users: 10, messagesPerDay: 1000),
        .enterprise: ScaleThreshold(users: 100, messagesPerDay: 100_000),
    ])
    /// Hours in a day, a week and a month of work, for the timeline.
    public var dayHours = 8
    /// Hours in a week of work; estimates up to this many hours are written in days.
    public var weekHours = 40
    /// Hours in a month of work; estimates up to this many hours are written in weeks,
    /// longer ones in months.
    public var monthHours = 160
    /// The duration written on each kind of step.
    public var stepDurations = Table<StepKind, String>([
        .backup: "30 minutes", .install: "10 minutes", .agentConfig: "1 hour", .migrateMessages: "2-4 hours",
        .eventLog: "5 minutes", .pattern: "2-4 hours", .test: "1-2 hours", .cutover: "1 hour",
    ])

    /// The kinds of step a plan is made of, as named in a policy file.
    public enum StepKind: String, CaseIterable, Sendable, Hashable {
        /// Backing up the system; installing the new one beside it.
        case backup, install
        /// Writing the agent configuration, when there is none.
        case agentConfig = "agent_config"
        /// Moving the existing messages, when there is a message system.
        case migrateMessages = "migrate_messages"
        /// Starting the event log, when there is none.
        case eventLog = "event_log"
        /// Implementing one missing pattern; testing the migration; the production cutover.
        case pattern, test, cutover
    }

    /// The levels whose highest complexity score is set (above `complex` is very complex).
    public enum ComplexityBound: String, CaseIterable, Sendable, Hashable {
        /// The levels with a highest score.
        case simple, moderate, complex
    }

    /// The levels whose highest risk score is set (above `medium` is high).
    public enum RiskBound: String, CaseIterable, Sendable, Hashable {
        /// The levels with a highest score.
        case low, medium
    }

    /// The scales that start at a number of users or messages per day (below `team` is individual).
    public enum ScaleStart: String, CaseIterable, Sendable, Hashable {
        /// The scales with a starting point.
        case team, organization, enterprise

        /// The scale this start begins.
        public var scale: Scale {
            switch self {
            case .team: .team
            case .organization: .organization
            case .enterprise: .enterprise
            }
        }
    }

    /// Where a scale starts: at this many users, or this many messages per day.
    public struct ScaleThreshold: Sendable, Hashable {
        /// Users from which the scale starts.
        public var users: Int
        /// Messages per day from which the scale starts.
        public var messagesPerDay: Int

        /// A start at this many users or messages per day.
        public init(users: Int, messagesPerDay: Int) {
            self.users = users
            self.messagesPerDay = messagesPerDay
        }
    }

    /// The original tool's numbers.
    public static let seed = ScoringPolicy()

    /// The original tool's numbers, the same as ``seed``.
    public init() {}

    /// Two policies are equal when every setting has the same value.
    public static func == (lhs: ScoringPolicy, rhs: ScoringPolicy) -> Bool {
        lhs.settings.map { "\($0.key)=\($0.value)" } == rhs.settings.map { "\($0.key)=\($0.value)" }
    }
    /// Hashes every setting, as `==` compares them.
    public func hash(into hasher: inout Hasher) { for setting in settings { hasher.combine(setting.key); hasher.combine(setting.value) } }

    package func complexityLevel(score: Int) -> ComplexityLevel {
        if score <= complexityThresholds[.simple] { return .simple }
        if score <= complexityThresholds[.moderate] { return .moderate }
        if score <= complexityThresholds[.complex] { return .complex }
        return .veryComplex
    }

    package func riskLevel(score: Int) -> RiskLevel {
        if score <= riskThresholds[.low] { return .low }
        if score <= riskThresholds[.medium] { return .medium }
        return .high
    }

    package func scale(users: Int, messagesPerDay: Int) -> Scale {
        for start in ScaleStart.allCases.reversed() {
            let threshold = scaleThresholds[start]
            if users >= threshold.users || messagesPerDay >= threshold.messagesPerDay { return start.scale }
        }
        return .individual
    }

    package func timeline(hours: Int) -> String {
        func count(_ n: Int, _ unit: String) -> String { n == 1 ? "1 \(unit)" : "\(n) \(unit)s" }
        if hours <= dayHours { return "1 day" }
        if hours <= weekHours { return count(hours / dayHours, "day") }
        if hours <= monthHours { return count(hours / weekHours, "week") }
        return count(hours / monthHours, "month")
    }

    /// Every setting as `name: value`, in a fixed order: the policy file's key paths.
    var settings: [(key: String, value: String)] {
        var out: [(String, String)] = [("complexity.infrastructure_credit", "\(infrastructureCredit)")]
        for scale in Scale.allCases { out.append(("complexity.scale_weights.\(scale.rawValue)", "\(scaleWeights[scale])")) }
        out.append(("complexity.gap_divisor", "\(gapDivisor)"))
        out.append(("complexity.count_custom_rules", "\(countCustomRules)"))
        for level in ComplexityBound.allCases {
            out.append(("complexity.thresholds.\(level.rawValue)", "\(complexityThresholds[level])"))
        }
        for level in ComplexityLevel.allCases { out.append(("hours.base.\(level.rawValue)", "\(baseHours[level])")) }
        for scale in Scale.allCases {
            // Full precision: 1.499 is not the seed's 1.5.
            let factor = scaleFactors[scale]
            out.append(("hours.scale_factors.\(scale.rawValue)", factor == factor.rounded() ? "\(Int(factor))" : "\(factor)"))
        }
        out += [
            ("risk.message_system", "\(riskMessageSystem)"), ("risk.scale", "\(riskScale)"), ("risk.gaps", "\(riskGaps)"),
            ("risk.gaps_threshold", "\(riskGapThreshold)"),
            ("risk.thresholds.low", "\(riskThresholds[.low])"), ("risk.thresholds.medium", "\(riskThresholds[.medium])"),
        ]
        for start in ScaleStart.allCases {
            out.append(("scale.\(start.rawValue).users", "\(scaleThresholds[start].users)"))
            out.append(("scale.\(start.rawValue).messages_per_day", "\(scaleThresholds[start].messagesPerDay)"))
        }
        out += [
            ("timeline.day_hours", "\(dayHours)"), ("timeline.week_hours", "\(weekHours)"),
            ("timeline.month_hours", "\(monthHours)"),
        ]
        for kind in StepKind.allCases { out.append(("step_durations.\(kind.rawValue)", stepDurations[kind])) }
        return out
    }

    /// The settings that differ from the original tool's, as `key: seed → value`.
    package var changesFromSeed: [String] {
        zip(Self.seed.settings, settings).compactMap { seed, mine in
            seed.value == mine.value ? nil : "\(mine.key): \(seed.value) → \(mine.value)"
        }
    }
}

/// A value for every case of `Key`: total by construction, so reading one never fails.
public struct Table<Key: CaseIterable & Hashable & Sendable, Value: Sendable & Hashable>: Sendable, Hashable {
    private var values: [Value]

    /// Every case of `Key` must have a value; a missing one stops the program at once
    /// (the defaults are written in the source, so a test catches it).
    public init(_ entries: [Key: Value]) {
        values = Key.allCases.map { key in
            guard let value = entries[key] else { preconditionFailure("Table: no value for \(key)") }
            return value
        }
    }

    private static func index(_ key: Key) -> Int {
        Key.allCases.firstIndex(of: key).map { Key.allCases.distance(from: Key.allCases.startIndex, to: $0) } ?? 0
    }

    /// The value for `key`; every key has one.
    public subscript(key: Key) -> Value {
        get { values[Self.index(key)] }
        set { values[Self.index(key)] = newValue }
    }
}
