/// One term of a score: which factor, how much it added, and why.
public struct ScoreFactor: Codable, Sendable, Hashable {
    /// Which number the factor feeds.
    public enum Metric: String, Codable, Sendable {
        case complexity
        case hours
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

    public var metric: Metric
    /// A stable id for the factor, e.g. `event-log`, `scale`, `gaps`.
    public var factor: String
    public var operation: Operation
    public var contribution: Double
    public var reason: String

    public init(metric: Metric, factor: String, operation: Operation, contribution: Double, reason: String) {
        self.metric = metric
        self.factor = factor
        self.operation = operation
        self.contribution = contribution
        self.reason = reason
    }
}

/// How hard and how risky the migration is.
public struct ComplexityResult: Codable, Sendable, Hashable {
    public var complexityScore: Int
    public var complexityLevel: ComplexityLevel
    public var estimatedHours: Int
    public var riskScore: Int
    public var riskLevel: RiskLevel
    public var breakingChanges: [String]
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
