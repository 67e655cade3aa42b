/// One term of a score: which factor, how much it added, and why.
public struct ScoreFactor: Codable, Sendable, Hashable {
    /// Which number the factor feeds.
    public enum Metric: String, Codable, Sendable {
        /// The complexity score.
        case complexity
        /// The estimated hours.
        case hours
        /// The risk score.
        case risk
    }

    /// How the contribution combines with the running total.
    public enum Operation: String, Codable, Sendable {
        /// Added to the score.
        case add
        /// The starting value (hours start from the level's base).
        case base
        /// Multiplies the running value.
        case multiply
    }

    /// Which number the factor feeds.
    public var metric: Metric
    /// A stable id for the factor, e.g. `event-log`, `scale`, `gaps`.
    public var factor: String
    /// How ``contribution`` combines with the running value.
    public var operation: Operation
    /// The amount added, the starting value, or the multiplier, as ``operation`` says.
    public var contribution: Double
    /// Why, in a few words, e.g. "an event log exists".
    public var reason: String

    /// Creates one term of a score; `factor` is a stable id such as `event-log`.
    package init(metric: Metric, factor: String, operation: Operation, contribution: Double, reason: String) {
        self.metric = metric
        self.factor = factor
        self.operation = operation
        self.contribution = contribution
        self.reason = reason
    }
}

/// How hard and how risky the migration is.
public struct ComplexityResult: Codable, Sendable, Hashable {
    /// −1 for each of message system, event log and inbox structure present, plus the
    /// scale's weight (0…3), plus the gaps halved, by default; it can be negative.
    public var complexityScore: Int
    /// The level the score falls in: by default ≤ 1 simple, ≤ 3 moderate, ≤ 5 complex,
    /// else very complex.
    public var complexityLevel: ComplexityLevel
    /// Hours of work: the level's base hours (4, 16, 40, 80 by default) times the scale's
    /// factor, rounded down.
    public var estimatedHours: Int
    /// By default +2 for a database or API system, +2 at organization scale or above and
    /// +1 with five or more gaps.
    public var riskScore: Int
    /// The level the risk score falls in: by default ≤ 1 low, ≤ 3 medium, else high.
    public var riskLevel: RiskLevel
    /// What the migration changes for the system's users, in words.
    public var breakingChanges: [String]
    /// True when messages live in a database or behind an API and must be moved.
    public var dataMigrationRequired: Bool
    /// Every term behind the three numbers, in the order they were applied.
    public var breakdown: [ScoreFactor]

    /// Every stored property, as the memberwise initializer takes them.
    package init(complexityScore: Int, complexityLevel: ComplexityLevel, estimatedHours: Int, riskScore: Int, riskLevel: RiskLevel, breakingChanges: [String], dataMigrationRequired: Bool, breakdown: [ScoreFactor]) {
        self.complexityScore = complexityScore
        self.complexityLevel = complexityLevel
        self.estimatedHours = estimatedHours
        self.riskScore = riskScore
        self.riskLevel = riskLevel
        self.breakingChanges = breakingChanges
        self.dataMigrationRequired = dataMigrationRequired
        self.breakdown = breakdown
    }
}
