import CoordMigrateDetect
import CoordMigrateAnalysis
package import CoordMigrateModel
import Foundation

extension ScoringPolicy {
    /// Reads a `--policy` file.
    package static func load(_ path: String) throws(SettingsError) -> ScoringPolicy {
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
                    guard let bound = ComplexityBound(rawValue: name) else { continue }
                    complexityThresholds[bound] = try number.int("complexity.thresholds.\(name)", minimum: Int.min)
                }
                guard complexityThresholds[.simple] <= complexityThresholds[.moderate],
                    complexityThresholds[.moderate] <= complexityThresholds[.complex]
                else { throw value.fail("complexity.thresholds must not decrease from simple to complex") }
            }
        }
        if let hours = top["hours"] {
            let keys = try hours.mapping(allowed: ["base", "scale_factors"], what: "hours")
            if let value = keys["base"] {
                let levels = try value.mapping(allowed: ComplexityLevel.allCases.map(\.rawValue), what: "hours.base")
                for (name, number) in levels {
                    guard let level = ComplexityLevel(rawValue: name) else { continue }
                    baseHours[level] = try number.int("hours.base.\(name)")
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
                    guard let bound = RiskBound(rawValue: name) else { continue }
                    riskThresholds[bound] = try number.int("risk.thresholds.\(name)")
                }
                guard riskThresholds[.low] <= riskThresholds[.medium] else {
                    throw value.fail("risk.thresholds.low must not be above risk.thresholds.medium")
                }
            }
        }
        if let scale = top["scale"] {
            let levels = try scale.mapping(allowed: ["team", "organization", "enterprise"], what: "scale")
            for (name, value) in levels {
                guard let level = ScaleStart(rawValue: name) else { continue }
                let keys = try value.mapping(allowed: ["users", "messages_per_day"], what: "scale.\(name)")
                var threshold = scaleThresholds[level]
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
                guard let kind = StepKind(rawValue: name) else { continue }
                let duration = try value.string("step_durations.\(name)")
                // The plan carries every duration as numbers too, so it must read as one.
                guard HoursRange(duration: duration) != nil else {
                    throw value.fail("step_durations.\(name) must be a duration such as \"30 minutes\", \"2-4 hours\" or \"1 day\"")
                }
                stepDurations[kind] = duration
            }
        }
    }

    private static func byScale(_ reader: SettingsReader, _ what: String) throws(SettingsError) -> [(Scale, SettingsReader)] {
        try reader.mapping(allowed: Scale.allCases.map(\.rawValue), what: what).compactMap { entry in Scale(rawValue: entry.key).map { ($0, entry.value) } }
    }
}
