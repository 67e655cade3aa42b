/// Every number behind the score and the plan. The defaults are the original
/// tool's; `--policy FILE.yaml` (or `policy:` in `.coord-migrate.yaml`) overrides
/// any of them, and the report then says so.
public struct ScoringPolicy: Sendable, Hashable {
    /// Subtracted from the complexity score for each of message system, event log and inbox structure.
    public var infrastructureCredit = 1
    /// Added to the complexity score by scale.
    public var scaleWeights: [Scale: Int] = [.individual: 0, .team: 1, .organization: 2, .enterprise: 3]
    /// Gaps are divided by this (rounded down) and added to the complexity score.
    public var gapDivisor = 2
    /// When true, missing custom rules count as gaps in the score (not by default).
    public var countCustomRules = false
    /// The highest score of each level; above `complex` is very complex.
    public var complexityThresholds: [ComplexityLevel: Int] = [.simple: 1, .moderate: 3, .complex: 5]
    public var baseHours: [ComplexityLevel: Int] = [.simple: 4, .moderate: 16, .complex: 40, .veryComplex: 80]
    public var scaleFactors: [Scale: Double] = [.individual: 1, .team: 1.5, .organization: 2, .enterprise: 3]
    /// Risk added by a database or API message system, by organization or enterprise scale, and by many gaps.
    public var riskMessageSystem = 2
    public var riskScale = 2
    public var riskGaps = 1
    /// How many gaps count as many.
    public var riskGapThreshold = 5
    /// The highest risk score of each level; above `medium` is high.
    public var riskThresholds: [RiskLevel: Int] = [.low: 1, .medium: 3]
    /// The users or messages per day from which each scale starts.
    public var scaleThresholds: [Scale: (users: Int, messagesPerDay: Int)] = [
        .team: (2, 100), .organization: (10, 1000), .enterprise: (100, 100_000),
    ]
    /// Hours in a day, a week and a month of work, for the timeline.
    public var dayHours = 8
    public var weekHours = 40
    public var monthHours = 160
    /// The duration written on each kind of step.
    public var stepDurations: [StepKind: String] = [
        .backup: "30 minutes", .install: "10 minutes", .agentConfig: "1 hour", .migrateMessages: "2-4 hours",
        .eventLog: "5 minutes", .pattern: "2-4 hours", .test: "1-2 hours", .cutover: "1 hour",
    ]

    /// The kinds of step a plan is made of, as named in a policy file.
    public enum StepKind: String, CaseIterable, Sendable, Hashable {
        case backup, install
        case agentConfig = "agent_config"
        case migrateMessages = "migrate_messages"
        case eventLog = "event_log"
        case pattern, test, cutover
    }

    /// The original tool's numbers.
    public static let seed = ScoringPolicy()

    public init() {}

    public static func == (lhs: ScoringPolicy, rhs: ScoringPolicy) -> Bool {
        lhs.settings.map { "\($0.key)=\($0.value)" } == rhs.settings.map { "\($0.key)=\($0.value)" }
    }
    public func hash(into hasher: inout Hasher) { for setting in settings { hasher.combine(setting.key); hasher.combine(setting.value) } }

    func complexityLevel(score: Int) -> ComplexityLevel {
        if score <= complexityThresholds[.simple]! { return .simple }
        if score <= complexityThresholds[.moderate]! { return .moderate }
        if score <= complexityThresholds[.complex]! { return .complex }
        return .veryComplex
    }

    func riskLevel(score: Int) -> RiskLevel {
        if score <= riskThresholds[.low]! { return .low }
        if score <= riskThresholds[.medium]! { return .medium }
        return .high
    }

    func scale(users: Int, messagesPerDay: Int) -> Scale {
        for scale in [Scale.enterprise, .organization, .team] {
            let threshold = scaleThresholds[scale]!
            if users >= threshold.users || messagesPerDay >= threshold.messagesPerDay { return scale }
        }
        return .individual
    }

    func timeline(hours: Int) -> String {
        func count(_ n: Int, _ unit: String) -> String { n == 1 ? "1 \(unit)" : "\(n) \(unit)s" }
        if hours <= dayHours { return "1 day" }
        if hours <= weekHours { return count(hours / dayHours, "day") }
        if hours <= monthHours { return count(hours / weekHours, "week") }
        return count(hours / monthHours, "month")
    }

    /// Every setting as `name: value`, in a fixed order: the policy file's key paths.
    var settings: [(key: String, value: String)] {
        var out: [(String, String)] = [("complexity.infrastructure_credit", "\(infrastructureCredit)")]
        for scale in Scale.allCases { out.append(("complexity.scale_weights.\(scale.rawValue)", "\(scaleWeights[scale]!)")) }
        out.append(("complexity.gap_divisor", "\(gapDivisor)"))
        out.append(("complexity.count_custom_rules", "\(countCustomRules)"))
        for level in [ComplexityLevel.simple, .moderate, .complex] {
            out.append(("complexity.thresholds.\(level.rawValue)", "\(complexityThresholds[level]!)"))
        }
        for level in ComplexityLevel.allCases { out.append(("hours.base.\(level.rawValue)", "\(baseHours[level]!)")) }
        for scale in Scale.allCases {
            // Full precision: 1.499 is not the seed's 1.5.
            let factor = scaleFactors[scale]!
            out.append(("hours.scale_factors.\(scale.rawValue)", factor == factor.rounded() ? "\(Int(factor))" : "\(factor)"))
        }
        out += [
            ("risk.message_system", "\(riskMessageSystem)"), ("risk.scale", "\(riskScale)"), ("risk.gaps", "\(riskGaps)"),
            ("risk.gaps_threshold", "\(riskGapThreshold)"),
            ("risk.thresholds.low", "\(riskThresholds[.low]!)"), ("risk.thresholds.medium", "\(riskThresholds[.medium]!)"),
        ]
        for scale in [Scale.team, .organization, .enterprise] {
            out.append(("scale.\(scale.rawValue).users", "\(scaleThresholds[scale]!.users)"))
            out.append(("scale.\(scale.rawValue).messages_per_day", "\(scaleThresholds[scale]!.messagesPerDay)"))
        }
        out += [
            ("timeline.day_hours", "\(dayHours)"), ("timeline.week_hours", "\(weekHours)"),
            ("timeline.month_hours", "\(monthHours)"),
        ]
        for kind in StepKind.allCases { out.append(("step_durations.\(kind.rawValue)", stepDurations[kind]!)) }
        return out
    }

    /// The settings that differ from the original tool's, as `key: seed → value`.
    public var changesFromSeed: [String] {
        zip(Self.seed.settings, settings).compactMap { seed, mine in
            seed.value == mine.value ? nil : "\(mine.key): \(seed.value) → \(mine.value)"
        }
    }
}

extension ScoringPolicy {
    /// Reads a `--policy` file.
    public static func load(_ path: String) throws(SettingsError) -> ScoringPolicy {
        try ScoringPolicy(reading: SettingsReader.load(path))
    }

    /// Reads a policy mapping (the whole `--policy` file, or `policy:` in the project file).
    init(reading reader: SettingsReader) throws(SettingsError) {
        self.init()
        let top = try reader.mapping(
            allowed: ["complexity", "hours", "risk", "scale", "timeline", "step_durations"], what: "the policy")
        if let complexity = top["complexity"] {
            let keys = try complexity.mapping(
                allowed: ["infrastructure_credit", "scale_weights", "gap_divisor", "count_custom_rules", "thresholds"],
                what: "complexity")
            if let value = keys["count_custom_rules"] {
                switch try value.string("count_custom_rules") {
                case "true": countCustomRules = true
                case "false": countCustomRules = false
                default: throw value.fail("count_custom_rules must be true or false")
                }
            }
            if let value = keys["infrastructure_credit"] { infrastructureCredit = try value.int("infrastructure_credit") }
            if let value = keys["scale_weights"] {
                for (scale, number) in try Self.byScale(value, "complexity.scale_weights") {
                    scaleWeights[scale] = try number.int("complexity.scale_weights.\(scale.rawValue)")
                }
            }
            if let value = keys["gap_divisor"] { gapDivisor = try value.int("gap_divisor", minimum: 1) }
            if let value = keys["thresholds"] {
                let levels = try value.mapping(allowed: ["simple", "moderate", "complex"], what: "complexity.thresholds")
                for (name, number) in levels {
                    complexityThresholds[ComplexityLevel(rawValue: name)!] =
                        try number.int("complexity.thresholds.\(name)", minimum: Int.min)
                }
                guard complexityThresholds[.simple]! <= complexityThresholds[.moderate]!,
                    complexityThresholds[.moderate]! <= complexityThresholds[.complex]!
                else { throw value.fail("complexity.thresholds must not decrease from simple to complex") }
            }
        }
        if let hours = top["hours"] {
            let keys = try hours.mapping(allowed: ["base", "scale_factors"], what: "hours")
            if let value = keys["base"] {
                let levels = try value.mapping(allowed: ComplexityLevel.allCases.map(\.rawValue), what: "hours.base")
                for (name, number) in levels {
                    baseHours[ComplexityLevel(rawValue: name)!] = try number.int("hours.base.\(name)")
                }
            }
            if let value = keys["scale_factors"] {
                for (scale, number) in try Self.byScale(value, "hours.scale_factors") {
                    scaleFactors[scale] = try number.double("hours.scale_factors.\(scale.rawValue)")
                }
            }
        }
        if let risk = top["risk"] {
            let keys = try risk.mapping(
                allowed: ["message_system", "scale", "gaps", "gaps_threshold", "thresholds"], what: "risk")
            if let value = keys["message_system"] { riskMessageSystem = try value.int("risk.message_system") }
            if let value = keys["scale"] { riskScale = try value.int("risk.scale") }
            if let value = keys["gaps"] { riskGaps = try value.int("risk.gaps") }
            if let value = keys["gaps_threshold"] { riskGapThreshold = try value.int("risk.gaps_threshold") }
            if let value = keys["thresholds"] {
                let levels = try value.mapping(allowed: ["low", "medium"], what: "risk.thresholds")
                for (name, number) in levels {
                    riskThresholds[RiskLevel(rawValue: name)!] = try number.int("risk.thresholds.\(name)")
                }
                guard riskThresholds[.low]! <= riskThresholds[.medium]! else {
                    throw value.fail("risk.thresholds.low must not be above risk.thresholds.medium")
                }
            }
        }
        if let scale = top["scale"] {
            let levels = try scale.mapping(allowed: ["team", "organization", "enterprise"], what: "scale")
            for (name, value) in levels {
                let level = Scale(rawValue: name)!
                let keys = try value.mapping(allowed: ["users", "messages_per_day"], what: "scale.\(name)")
                var threshold = scaleThresholds[level]!
                if let users = keys["users"] { threshold.users = try users.int("scale.\(name).users", minimum: 1) }
                if let messages = keys["messages_per_day"] {
                    threshold.messagesPerDay = try messages.int("scale.\(name).messages_per_day", minimum: 1)
                }
                scaleThresholds[level] = threshold
            }
        }
        if let timeline = top["timeline"] {
            let keys = try timeline.mapping(allowed: ["day_hours", "week_hours", "month_hours"], what: "timeline")
            if let value = keys["day_hours"] { dayHours = try value.int("timeline.day_hours", minimum: 1) }
            if let value = keys["week_hours"] { weekHours = try value.int("timeline.week_hours", minimum: 1) }
            if let value = keys["month_hours"] { monthHours = try value.int("timeline.month_hours", minimum: 1) }
            guard dayHours <= weekHours, weekHours <= monthHours else {
                throw timeline.fail("timeline hours must grow from day to week to month")
            }
        }
        if let durations = top["step_durations"] {
            let keys = try durations.mapping(allowed: StepKind.allCases.map(\.rawValue), what: "step_durations")
            for (name, value) in keys {
                stepDurations[StepKind(rawValue: name)!] = try value.string("step_durations.\(name)")
            }
        }
    }

    private static func byScale(_ reader: SettingsReader, _ what: String) throws(SettingsError) -> [(Scale, SettingsReader)] {
        try reader.mapping(allowed: Scale.allCases.map(\.rawValue), what: what).map { (Scale(rawValue: $0.key)!, $0.value) }
    }
}
