/// The fixed vocabulary of the report: every raw value here is a JSON value that
/// other tools rely on, so none may change without a new schema version.

/// How the existing system moves messages between agents.
public enum MessageSystemType: String, Codable, Sendable, CaseIterable {
    /// Messages are files in folders: `inbox/`, `messages/` or another per-agent layout.
    case fileBased = "file-based"
    /// Messages live in a database the agent configuration declares.
    case database
    /// Messages go through an API (`api/` or `server.py` at the root).
    case api
    /// No message system was found.
    case none
}

/// The size of the organisation the system serves.
public enum Scale: String, Codable, Sendable, CaseIterable, Comparable {
    /// One person: below every threshold.
    case individual
    /// By default from 2 users or 100 messages a day.
    case team
    /// By default from 10 users or 1,000 messages a day.
    case organization
    /// By default from 100 users or 100,000 messages a day.
    case enterprise

    /// Position in the ordering individual < team < organization < enterprise.
    package var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders scales by ``rank``.
    public static func < (lhs: Scale, rhs: Scale) -> Bool { lhs.rank < rhs.rank }
}

/// How much work the migration is.
public enum ComplexityLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// By default a complexity score of 1 or less.
    case simple
    /// By default a complexity score of 2 or 3.
    case moderate
    /// By default a complexity score of 4 or 5.
    case complex
    /// By default a complexity score above 5.
    case veryComplex = "very_complex"

    /// Position in the ordering simple < moderate < complex < very complex.
    package var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders levels by ``rank``.
    public static func < (lhs: ComplexityLevel, rhs: ComplexityLevel) -> Bool { lhs.rank < rhs.rank }
}

/// How likely the migration is to hurt.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// By default a risk score of 1 or less.
    case low
    /// By default a risk score of 2 or 3.
    case medium
    /// By default a risk score above 3.
    case high

    /// Position in the ordering low < medium < high.
    package var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders levels by ``rank``.
    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The phases a migration goes through, in order.
public enum Phase: String, Codable, Sendable, CaseIterable {
    /// Backing up the system and installing the new one.
    case preparation
    /// Writing the agent configuration.
    case configuration
    /// Moving the existing messages.
    case data
    /// Implementing the missing patterns.
    case patterns
    /// Testing, as the timeline splits the estimate (the plan's test step is ``validation``).
    case testing
    /// The plan's test step, run against the migrated system.
    case validation
    /// The production cutover.
    case deployment
    /// Setting up missing infrastructure: the event log step.
    case infrastructure
}

/// How sure a finding is.
public enum Confidence: String, Codable, Sendable, CaseIterable {
    /// Runtime data, configuration or a database on disk shows it.
    case high
    /// Code that does it shows it, or nothing was found where it would show.
    case medium
    /// Weak or borderline evidence.
    case low

    /// The confidence of a finding from the kinds of evidence behind it, with the reason;
    /// nil for a skipped one.
    package static func of(_ finding: PatternFinding) -> (Confidence, String)? {
        guard finding.skippedReason == nil else { return nil }
        return of(present: finding.present, kinds: finding.evidenceKinds)
    }

    /// The confidence of a fact that is present or not, from the kinds of evidence behind it.
    package static func of(present: Bool, kinds: [EvidenceKind]) -> (Confidence, String) {
        guard present else {
            return (.medium, "nothing on disk, in configuration or in code shows it")
        }
        let places = kinds.compactMap { kind -> String? in
            switch kind {
            case .disk: "on disk"
            case .config: "in configuration"
            case .database: "in the database"
            case .code: nil
            }
        }
        if !places.isEmpty { return (.high, "seen " + places.joined(separator: " and ")) }
        if kinds.contains(.code) { return (.medium, "only code shows it") }
        return (.low, "no evidence recorded")
    }
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
public enum PatternID: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The id as reports, flags and the documentation spell it (`priority-queue`), so
    /// that `print(id)` and `"\(id)"` show it rather than the case name.
    public var description: String { rawValue }

    /// Every message has a name no other writer can produce, such as one carrying a UUID.
    case collisionFreeMessaging = "collision-free-messaging"
    /// Every operation is appended to a log that is never rewritten.
    case eventSourcing = "event-sourcing"
    /// Messages are addressed by the SHA-256 of their content; replies point at their parents.
    case contentAddressedDAG = "content-addressed-dag"
    /// Each agent declares what it decides on.
    case authorityDomains = "authority-domains"
    /// Urgent work has its own lane that readers drain first.
    case priorityQueue = "priority-queue"
    /// Work that cannot be done yet is parked in its own lane and released later.
    case deferQueue = "defer-queue"
    /// Operations that can fail transiently are retried with backoff.
    case faultTolerantWrappers = "fault-tolerant-wrappers"
    /// The coordination protocol is specified in TLA+ and model-checked.
    case tlaVerification = "tla-verification"

    /// Where the pattern is documented: a section of `docs/patterns.md` in the
    /// coord-migrate repository (`coord-migrate patterns --explain <id>` prints the same
    /// rule for a given tree).
    package var documentationAnchor: String {
        "docs/patterns.md#\(rawValue)"
    }
}

extension ComplexityLevel {
    /// "simple", "moderate", "complex", "very complex".
    public var displayName: String { self == .veryComplex ? "very complex" : rawValue }
}
