/// One checkable fact behind a finding: what was seen, of which kind, and where.
public struct Evidence: Codable, Sendable, Hashable {
    /// What the evidence supports: a pattern (`event-sourcing`), an infrastructure
    /// fact (`message-system`, `event-log`, `inbox-structure`, `agent-config`,
    /// `scale`), or a custom detector's or rule's id. JSON writes it as that string.
    public var subject: EvidenceSubject
    /// Where the fact came from.
    public var kind: EvidenceKind
    /// The path relative to the analysed root, `/`-separated.
    public var path: String
    /// The 1-based line where content matched, when it did.
    public var line: Int?
    /// What was seen, in a few words.
    public var detail: String

    /// One piece of evidence; `line` is 1-based, when content matched.
    public init(subject: EvidenceSubject, kind: EvidenceKind, path: String, line: Int? = nil, detail: String) {
        self.subject = subject
        self.kind = kind
        self.path = path
        self.line = line
        self.detail = detail
    }

    /// `path` or `path:line`.
    public var location: String {
        if let line { "\(path):\(line)" } else { path }
    }
}

/// A problem met while scanning. The scan goes on; the report carries it.
public struct ScanWarning: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The path relative to the analysed root (`.` for the root itself).
    public var path: String
    /// The 1-based line the problem is on, when known.
    public var line: Int?
    /// What went wrong, in one line.
    public var message: String

    /// Creates a warning for `path` (relative to the analysed root, `.` for the root), with
    /// an optional 1-based line.
    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` when no line is known.
    public var description: String {
        if let line { "\(path):\(line): \(message)" } else { "\(path): \(message)" }
    }
}

/// What a piece of evidence supports. Written and read as its string (`rawValue`),
/// so the JSON is as before; in code it is a closed set for the built-in subjects.
public enum EvidenceSubject: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The infrastructure facts the seed's detection reports.
    public enum Infrastructure: String, Sendable, CaseIterable {
        /// How messages travel.
        case messageSystem = "message-system"
        /// The event log.
        case eventLog = "event-log"
        /// Per-agent inboxes.
        case inboxStructure = "inbox-structure"
        /// The agent configuration.
        case agentConfig = "agent-config"
        /// Agents, users and message volume.
        case scale
    }

    /// One of the infrastructure facts.
    case infrastructure(Infrastructure)
    /// One of the eight patterns.
    case pattern(PatternID)
    /// A custom detector's finding or a house rule, by its id.
    case custom(String)

    /// Evidence for the message system.
    public static let messageSystem = EvidenceSubject.infrastructure(.messageSystem)
    /// Evidence for the event log.
    public static let eventLog = EvidenceSubject.infrastructure(.eventLog)
    /// Evidence for the inbox structure.
    public static let inboxStructure = EvidenceSubject.infrastructure(.inboxStructure)
    /// Evidence for the agent configuration.
    public static let agentConfig = EvidenceSubject.infrastructure(.agentConfig)
    /// Evidence for the scale estimate.
    public static let scale = EvidenceSubject.infrastructure(.scale)

    /// The subject a string names: a built-in one when it is one's id, else a custom one.
    public init(rawValue: String) {
        if let fact = Infrastructure(rawValue: rawValue) {
            self = .infrastructure(fact)
        } else if let pattern = PatternID(rawValue: rawValue) {
            self = .pattern(pattern)
        } else {
            self = .custom(rawValue)
        }
    }

    /// The subject a string literal names, as ``init(rawValue:)``.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// The id JSON writes.
    public var rawValue: String {
        switch self {
        case let .infrastructure(fact): fact.rawValue
        case let .pattern(pattern): pattern.rawValue
        case let .custom(id): id
        }
    }

    /// The id, as JSON writes it.
    public var description: String { rawValue }

    /// Whether this is an infrastructure fact (not a pattern or a custom finding).
    package var isInfrastructure: Bool {
        if case .infrastructure = self { true } else { false }
    }

    /// Reads the subject from its string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the subject as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
