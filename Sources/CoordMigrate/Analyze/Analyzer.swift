/// Scores a detection: complexity, effort and risk, each with the factors behind it.
///
/// The arithmetic is the original tool's, unchanged:
/// - complexity = −1 for each of {message system, event log, inbox structure}
///   present, + the scale's weight (0…3), + gaps / 2 (integer division);
///   ≤ 1 simple, ≤ 3 moderate, ≤ 5 complex, else very complex.
/// - hours = the level's base (4, 16, 40, 80) × the scale's factor (1, 1.5, 2, 3), truncated.
/// - risk = +2 for a database or API system, +2 at organization or enterprise
///   scale, +1 with five or more gaps; ≤ 1 low, ≤ 3 medium, else high.
public enum Analyzer {
    public static func analyze(_ detection: DetectionResult) -> ComplexityResult {
        var breakdown: [ScoreFactor] = []
        let gaps = detection.gaps.count

        // Complexity.
        var score = 0
        let infrastructure: [(String, Bool, String)] = [
            ("message-system", detection.hasMessageSystem, "a message system exists (\(detection.messageSystemType.rawValue))"),
            ("event-log", detection.hasEventLog, "an event log exists"),
            ("inbox-structure", detection.hasInboxStructure, "per-agent inboxes exist"),
        ]
        for (factor, present, reason) in infrastructure where present {
            score -= 1
            breakdown.append(ScoreFactor(metric: .complexity, factor: factor, operation: .add, contribution: -1, reason: reason))
        }
        let scaleWeight = detection.estimatedScale.rank
        score += scaleWeight
        breakdown.append(ScoreFactor(
            metric: .complexity, factor: "scale", operation: .add, contribution: Double(scaleWeight),
            reason: "\(detection.estimatedScale.rawValue) scale"))
        score += gaps / 2
        breakdown.append(ScoreFactor(
            metric: .complexity, factor: "gaps", operation: .add, contribution: Double(gaps / 2),
            reason: "\(gaps) missing patterns, halved and rounded down"))
        let level = complexityLevel(score: score)

        // Effort.
        let base = baseHours(level)
        let factor = scaleFactor(detection.estimatedScale)
        let hours = Int(Double(base) * factor)
        breakdown.append(ScoreFactor(
            metric: .hours, factor: "base", operation: .base, contribution: Double(base),
            reason: "base hours for a \(level.displayName) migration"))
        breakdown.append(ScoreFactor(
            metric: .hours, factor: "scale", operation: .multiply, contribution: factor,
            reason: "\(detection.estimatedScale.rawValue) scale factor"))

        // Risk.
        var risk = 0
        if detection.messageSystemType == .database || detection.messageSystemType == .api {
            risk += 2
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "message-system", operation: .add, contribution: 2,
                reason: "messages live in a \(detection.messageSystemType.rawValue) system and must be moved"))
        }
        if detection.estimatedScale >= .organization {
            risk += 2
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "scale", operation: .add, contribution: 2,
                reason: "\(detection.estimatedScale.rawValue) scale: many people depend on the system"))
        }
        if gaps >= 5 {
            risk += 1
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "gaps", operation: .add, contribution: 1,
                reason: "\(gaps) missing patterns (five or more)"))
        }

        return ComplexityResult(
            complexityScore: score,
            complexityLevel: level,
            estimatedHours: hours,
            riskScore: risk,
            riskLevel: riskLevel(score: risk),
            breakingChanges: breakingChanges(detection),
            dataMigrationRequired: detection.messageSystemType == .database || detection.messageSystemType == .api,
            breakdown: breakdown)
    }

    public static func complexityLevel(score: Int) -> ComplexityLevel {
        switch score {
        case ...1: .simple
        case ...3: .moderate
        case ...5: .complex
        default: .veryComplex
        }
    }

    public static func riskLevel(score: Int) -> RiskLevel {
        switch score {
        case ...1: .low
        case ...3: .medium
        default: .high
        }
    }

    public static func baseHours(_ level: ComplexityLevel) -> Int {
        switch level {
        case .simple: 4
        case .moderate: 16
        case .complex: 40
        case .veryComplex: 80
        }
    }

    public static func scaleFactor(_ scale: Scale) -> Double {
        switch scale {
        case .individual: 1
        case .team: 1.5
        case .organization: 2
        case .enterprise: 3
        }
    }

    static func breakingChanges(_ detection: DetectionResult) -> [String] {
        var changes: [String] = []
        switch detection.messageSystemType {
        case .database: changes.append("message format change (database → file-based)")
        case .api: changes.append("API endpoints will change")
        case .fileBased, .none: break
        }
        if !detection.hasEventLog { changes.append("event log will be added") }
        if detection.gaps.count >= 4 { changes.append("significant architectural changes required") }
        return changes
    }

    /// "1 day", "3 days", "2 weeks", "1 month": hours ≤ 8 → one day; ≤ 40 → days
    /// of 8 hours; ≤ 160 → weeks of 40 hours; else months of 160 hours.
    public static func timeline(hours: Int) -> String {
        func count(_ n: Int, _ unit: String) -> String { n == 1 ? "1 \(unit)" : "\(n) \(unit)s" }
        if hours <= 8 { return "1 day" }
        if hours <= 40 { return count(hours / 8, "day") }
        if hours <= 160 { return count(hours / 40, "week") }
        return count(hours / 160, "month")
    }
}

extension ComplexityLevel {
    /// "simple", "moderate", "complex", "very complex".
    public var displayName: String { self == .veryComplex ? "very complex" : rawValue }
}
