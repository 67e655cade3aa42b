/// A duration as numbers: the shortest and the longest it may take, in hours.
///
/// A step's duration is written in words ("30 minutes", "2-4 hours"); this is the same
/// duration as numbers, so the steps can be added up. Reports carry them rounded to
/// hundredths of an hour (10 minutes is 0.17 hours).
public struct HoursRange: Codable, Sendable, Hashable {
    /// The shortest time, in hours.
    public var low: Double
    /// The longest time, in hours; equal to ``low`` for a fixed duration ("1 hour").
    public var high: Double

    /// A range of hours; `high` is at least `low`.
    package init(low: Double, high: Double) {
        self.low = low
        self.high = max(low, high)
    }

    /// No time at all.
    package static let zero = HoursRange(low: 0, high: 0)

    /// The duration in words, read as numbers: a number or a range (`2-4`, `2–4`,
    /// `1.5`) then a unit (`minute(s)`, `min`, `hour(s)`, `h`, `day(s)` and `week(s)`
    /// of `dayHours` and `weekHours`, the policy's working day and week).
    /// `nil` when the text is not such a duration.
    package init?(duration text: String, dayHours: Int = 8, weekHours: Int = 40) {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty, words.count <= 2 else { return nil }
        var amount = words[0]
        var unit = words.count == 2 ? words[1] : ""
        if words.count == 1 {
            // "30min", "2-4h": the unit written against the number.
            guard let split = amount.firstIndex(where: { $0.isLetter }) else { return nil }
            unit = String(amount[split...])
            amount = String(amount[..<split])
        }
        let perUnit: Double
        switch unit {
        case "minute", "minutes", "min", "mins", "m": perUnit = 1.0 / 60
        case "hour", "hours", "h", "hr", "hrs": perUnit = 1
        case "day", "days", "d": perUnit = Double(dayHours)
        case "week", "weeks", "w": perUnit = Double(weekHours)
        default: return nil
        }
        let bounds = amount.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "–" })
        guard bounds.count == 1 || bounds.count == 2 else { return nil }
        var values: [Double] = []
        for bound in bounds {
            guard !bound.isEmpty, bound.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(bound), value.isFinite, value >= 0 else { return nil }
            values.append(value)
        }
        guard let first = values.first, let last = values.last, first <= last else { return nil }
        low = first * perUnit
        high = last * perUnit
    }

    /// Both ends rounded to hundredths of an hour.
    package var rounded: HoursRange {
        HoursRange(low: (low * 100).rounded() / 100, high: (high * 100).rounded() / 100)
    }

    /// The ranges added up end by end (not rounded).
    package static func sum(_ ranges: some Sequence<HoursRange>) -> HoursRange {
        ranges.reduce(zero) { HoursRange(low: $0.low + $1.low, high: $0.high + $1.high) }
    }
}

extension HoursRange {
    /// "8.67–15.67 hours", "1 hour", "0.5 hours": the range in words, ends to hundredths.
    public var text: String {
        let low = Self.number(low), high = Self.number(high)
        let span = low == high ? low : "\(low)–\(high)"
        return span + (span == "1" ? " hour" : " hours")
    }

    /// 6 → "6", 0.5 → "0.5", 8.666… → "8.67".
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        if fraction == 0 { return "\(whole)" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// What each effort figure means, in one sentence each, so every format says it alike.
package enum EffortWording {
    /// Beside the plan's effort (``MigrationPlan/stepHoursTotal``), the one figure people are shown.
    package static let headline = "the durations of this plan's steps added up, shortest and longest"
    /// Beside the seed formula's hours (``ComplexityResult/estimatedHours``) in the score breakdown.
    package static let seedFormula = "the original script's formula (base hours for the complexity times the scale factor), kept for comparison"
    /// The same as ``headline``: the plan's steps added up.
    package static let stepTotal = headline

    /// A range of hours in working days or weeks: "under 1 working day", "2–4 working days",
    /// "2–3 weeks"; a day is `dayHours`, a week `weekHours`.
    package static func words(_ range: HoursRange, dayHours: Int = 8, weekHours: Int = 40) -> String {
        let day = Double(max(1, dayHours)), week = Double(max(1, weekHours))
        if range.high <= 0 { return "no time" }
        if range.high <= day { return "under 1 working day" }
        func up(_ value: Double, _ unit: Double) -> Int { max(1, Int((value / unit - 1e-9).rounded(.up))) }
        func span(_ low: Int, _ high: Int, _ unit: String) -> String {
            low == high ? (low == 1 ? "1 \(unit)" : "\(low) \(unit)s") : "\(low)–\(high) \(unit)s"
        }
        if range.high <= 2 * week { return span(up(range.low, day), up(range.high, day), "working day") }
        return span(up(range.low, week), up(range.high, week), "week")
    }
}
