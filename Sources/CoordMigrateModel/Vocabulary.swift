/// The fixed vocabulary of the report: every raw value here is a JSON value that
/// other tools rely on, so none may change without a new schema version.

/// How the existing system moves messages between agents.
public enum MessageSystemType: String, Codable, Sendable, CaseIterable {
    case fileBased = "file-based"
    case database
    case api
    case none
}

/// The size of the organisation the system serves.
public enum Scale: String, Codable, Sendable, CaseIterable, Comparable {
    case individual
    case team
    case organization
    case enterprise

    /// Position in the ordering individual < team < organization < enterprise.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: Scale, rhs: Scale) -> Bool { lhs.rank < rhs.rank }
}

/// How much work the migration is.
public enum ComplexityLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case simple
    case moderate
    case complex
    case veryComplex = "very_complex"

    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: ComplexityLevel, rhs: ComplexityLevel) -> Bool { lhs.rank < rhs.rank }
}

/// How likely the migration is to hurt.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case low
    case medium
    case high

    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The phases a migration goes through, in order.
public enum Phase: String, Codable, Sendable, CaseIterable {
    case preparation
    case configuration
    case data
    case patterns
    case testing
    case validation
    case deployment
    case infrastructure
}

/// Where a finding came from, so a reader can check it.
public enum EvidenceKind: String, Codable, Sendable, CaseIterable {
    /// Folders or files present in the tree.
    case disk
    /// Declared in an agent configuration file.
    case config
    /// A script or program that does the thing.
    case code
    /// Measured, read-only, in the system's database (a table and its rows).
    case database
}

/// The eight universal coordination patterns. The raw values are fixed ids: they
/// appear in JSON, as JUnit test names and on the command line.
public enum PatternID: String, Codable, Sendable, CaseIterable {
    case collisionFreeMessaging = "collision-free-messaging"
    case eventSourcing = "event-sourcing"
    case contentAddressedDAG = "content-addressed-dag"
    case authorityDomains = "authority-domains"
    case priorityQueue = "priority-queue"
    case deferQueue = "defer-queue"
    case faultTolerantWrappers = "fault-tolerant-wrappers"
    case tlaVerification = "tla-verification"

    /// Where the pattern is documented in the coordination system's docs.
    public var documentationAnchor: String {
        "docs/abstractions/universal-patterns.md#\(rawValue)"
    }
}

extension ComplexityLevel {
    /// "simple", "moderate", "complex", "very complex".
    public var displayName: String { self == .veryComplex ? "very complex" : rawValue }
}
