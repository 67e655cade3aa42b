package import CoordMigrateModel
/// Scores a detection: complexity, effort and risk, each with the factors behind it.
///
/// The arithmetic is the original tool's, unchanged:
/// - complexity = −1 for each of {message system, event log, inbox structure}
///   present, + the scale's weight (0…3), + gaps / 2 (integer division);
///   ≤ 1 simple, ≤ 3 moderate, ≤ 5 complex, else very complex.
/// - hours = the level's base (4, 16, 40, 80) × the scale's factor (1, 1.5, 2, 3), truncated.
/// - risk = +2 for a database or API system, +2 at organization or enterprise
///   scale, +1 with five or more gaps; ≤ 1 low, ≤ 3 medium, else high.
package enum Analyzer {
    /// Scores `detection` with `policy`'s numbers (the original tool's by default): the
    /// complexity, hours and risk, their levels, the breaking changes and every factor behind them.
    package static func analyze(_ detection: DetectionResult, policy: ScoringPolicy = .seed) -> ComplexityResult {
        var breakdown: [ScoreFactor] = []
        let customGaps = policy.countCustomRules
            ? detection.customPatterns.filter { !$0.present && $0.skippedReason == nil }.count : 0
        let gaps = detection.gaps.count + customGaps

        // Complexity.
        var score = 0
        let infrastructure: [(String, Bool, String)] = [
            ("message-system", detection.hasMessageSystem, "a message system exists (\(detection.messageSystemType.rawValue))"),
            ("event-log", detection.hasEventLog, "an event log exists"),
            ("inbox-structure", detection.hasInboxStructure, "per-agent inboxes exist"),
        ]
        for (factor, present, reason) in infrastructure where present {
            score -= policy.infrastructureCredit
            breakdown.append(ScoreFactor(
                metric: .complexity, factor: factor, operation: .add, contribution: Double(-policy.infrastructureCredit),
                reason: reason))
        }
        let scaleWeight = policy.scaleWeights[detection.estimatedScale]
        score += scaleWeight
        breakdown.append(ScoreFactor(
            metric: .complexity, factor: "scale", operation: .add, contribution: Double(scaleWeight),
            reason: "\(detection.estimatedScale.rawValue) scale"))
        score += gaps / policy.gapDivisor
        breakdown.append(ScoreFactor(
            metric: .complexity, factor: "gaps", operation: .add, contribution: Double(gaps / policy.gapDivisor),
            reason: policy.gapDivisor == 2
                ? "\(gaps) missing patterns, halved and rounded down"
                : "\(gaps) missing patterns, divided by \(policy.gapDivisor) and rounded down"))
        let level = policy.complexityLevel(score: score)

        // Effort.
        let base = policy.baseHours[level]
        let factor = policy.scaleFactors[detection.estimatedScale]
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
            risk += policy.riskMessageSystem
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "message-system", operation: .add, contribution: Double(policy.riskMessageSystem),
                reason: "messages live in a \(detection.messageSystemType.rawValue) system and must be moved"))
        }
        if detection.estimatedScale >= .organization {
            risk += policy.riskScale
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "scale", operation: .add, contribution: Double(policy.riskScale),
                reason: "\(detection.estimatedScale.rawValue) scale: many people depend on the system"))
        }
        if gaps >= policy.riskGapThreshold {
            risk += policy.riskGaps
            breakdown.append(ScoreFactor(
                metric: .risk, factor: "gaps", operation: .add, contribution: Double(policy.riskGaps),
                reason: "\(gaps) missing patterns (\(policy.riskGapThreshold) or more)"))
        }

        return ComplexityResult(
            complexityScore: score,
            complexityLevel: level,
            estimatedHours: hours,
            riskScore: risk,
            riskLevel: policy.riskLevel(score: risk),
            breakingChanges: breakingChanges(detection),
            dataMigrationRequired: detection.messageSystemType == .database || detection.messageSystemType == .api,
            breakdown: breakdown)
    }

    /// The seed's level for a complexity score: ≤ 1 simple, ≤ 3 moderate, ≤ 5 complex, else very complex.
    package static func complexityLevel(score: Int) -> ComplexityLevel { ScoringPolicy.seed.complexityLevel(score: score) }

    /// The seed's level for a risk score: ≤ 1 low, ≤ 3 medium, else high.
    package static func riskLevel(score: Int) -> RiskLevel { ScoringPolicy.seed.riskLevel(score: score) }

    /// The seed's base hours: simple 4, moderate 16, complex 40, very complex 80.
    package static func baseHours(_ level: ComplexityLevel) -> Int { ScoringPolicy.seed.baseHours[level] }

    /// The seed's scale factors: 1, 1.5, 2, 3.
    package static func scaleFactor(_ scale: Scale) -> Double { ScoringPolicy.seed.scaleFactors[scale] }

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
    package static func timeline(hours: Int) -> String { ScoringPolicy.seed.timeline(hours: hours) }
}
