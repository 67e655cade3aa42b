/// Whether one pattern is present, and why the tool thinks so.
public struct PatternFinding: Codable, Sendable, Hashable {
    /// The pattern's id (one of ``PatternID`` for the built-ins).
    public var id: String
    /// A human title: ``PatternID/title`` for the built-ins, the rule's title for custom rules.
    public var title: String
    /// True when the pattern was found; false when it is missing or skipped (see
    /// ``skippedReason``).
    public var present: Bool
    /// A one-line account of what was found (or not found).
    public var summary: String
    /// The evidence kinds that contributed, in a stable order.
    public var evidenceKinds: [EvidenceKind]
    /// What to do when the pattern is missing.
    public var remediation: String
    /// Where to read more (custom rules' `doc`); absent for the built-ins.
    public var documentation: String?
    /// Why the pattern is not checked (`--skip-pattern`); absent when it is.
    public var skippedReason: String?
    /// How sure the finding is: high when data or configuration on disk shows it,
    /// medium when only code does (or when nothing was found), low when it rests on
    /// no recorded evidence; absent for skipped patterns.
    public var confidence: Confidence?
    /// Why the finding has that confidence, in a few words.
    public var confidenceReason: String?

    /// Creates a finding with no documentation link that is not skipped, e.g. for a custom
    /// detector to pass to `DetectionContext.addCustomFinding(_:)`.
    public init(
        id: String, title: String, present: Bool, summary: String,
        evidenceKinds: [EvidenceKind] = [], remediation: String
    ) {
        self.id = id
        self.title = title
        self.present = present
        self.summary = summary
        self.evidenceKinds = evidenceKinds
        self.remediation = remediation
    }
}

/// What the detectors found in the analysed tree.
///
/// Field names follow the original tool's data model (`has_message_system`,
/// `estimated_scale`, ...); they are the JSON keys other tools rely on.
public struct DetectionResult: Codable, Sendable, Hashable {
    /// True when ``messageSystemType`` is anything but `none`.
    public var hasMessageSystem: Bool
    /// How the system moves messages: file-based, database, API, or none found.
    public var messageSystemType: MessageSystemType
    /// `database.type` from the agent config, when the system is database-backed.
    public var databaseType: String?
    /// True when an event log was found: on disk, as an event table in the database, or
    /// in code that appends to one.
    public var hasEventLog: Bool
    /// True when per-agent inboxes were found: folders under `inbox/`, another per-agent
    /// mailbox layout, or code that writes per agent.
    public var hasInboxStructure: Bool
    /// True when an agent configuration file at the root (`config.yaml`, `agents.json`, …)
    /// or an agent registry was found.
    public var hasAgentConfig: Bool
    /// Agents: subfolders of `inbox/`, else the agents the config declares.
    public var estimatedAgents: Int
    /// A third of ``estimatedAgents`` (rounded down), at least 1.
    public var estimatedUsers: Int
    /// Message files modified in the 7 days before the report time, divided by 7; if none
    /// is, all of them divided by 30 (rounded down). The database's rate when the tree has none.
    public var estimatedMessagesPerDay: Int
    /// Message files under `inbox/` (the basis of the messages-per-day estimate).
    public var messageFiles: Int
    /// Of those, how many were modified within seven days of the report time.
    public var recentMessageFiles: Int
    /// The scale the policy gives for the users and messages per day (by default 2 users
    /// or 100 messages a day make a team).
    public var estimatedScale: Scale
    /// The platform the report names: `macos`, `linux`, `windows` or `unknown` for the host,
    /// unless the analysis was given another.
    public var platform: String
    /// The eight patterns, in the catalog's order.
    public var patterns: [PatternFinding]
    /// The built-in patterns found present, in catalog order; skipped ones are not listed.
    public var existingPatterns: [PatternID]
    /// The built-in patterns neither present nor skipped, in catalog order.
    public var gaps: [PatternID]
    /// Patterns the user chose not to check, with the reason; neither present nor gaps.
    public var skippedPatterns: [String]
    /// Findings of detectors registered by the user; they never change the score.
    public var customPatterns: [PatternFinding]
    /// Every evidence item, sorted by subject (the patterns first, in catalog order), then
    /// path, line and detail.
    public var evidence: [Evidence]
    /// The walk's warnings, then the detectors'.
    public var warnings: [ScanWarning]
    /// The parts of the tree the findings were combined from, when there are several (a
    /// bridge in one package and its scripts in another, two template variants); absent
    /// when everything came from one place.
    public var parts: [SystemPart]?
    /// How sure each infrastructure fact is (message system, event log, inbox structure,
    /// agent configuration), by the same rule as the patterns' confidence; absent in reports
    /// written before it was added.
    public var infrastructureConfidence: [FactConfidence]?
    /// Facts seen in code that look like a pattern and were not counted for it, each with why
    /// (`a UUID cut short`, `a digest used as a cache key`), a few per pattern; absent when none.
    /// They explain a missing pattern (`coord-migrate patterns --explain`).
    public var notCounted: [Evidence]?
    /// The system as a whole: its agents, channels and programs and how they connect, each with
    /// where it was seen; absent in reports written before it was added.
    public var systemMap: SystemMap?
    /// Set when the requested root showed no coordination markers but folders
    /// below it did; absent otherwise.
    public var discovery: Discovery?
    /// What was measured, read-only, in the system's database (tables, rows,
    /// messages per day, agents, bytes); absent when no database was read.
    public var database: DatabaseMeasurement?

    /// Every stored property, as the memberwise initializer takes them.
    package init(hasMessageSystem: Bool, messageSystemType: MessageSystemType, databaseType: String? = nil, hasEventLog: Bool, hasInboxStructure: Bool, hasAgentConfig: Bool, estimatedAgents: Int, estimatedUsers: Int, estimatedMessagesPerDay: Int, messageFiles: Int, recentMessageFiles: Int, estimatedScale: Scale, platform: String, patterns: [PatternFinding], existingPatterns: [PatternID], gaps: [PatternID], skippedPatterns: [String], customPatterns: [PatternFinding], evidence: [Evidence], warnings: [ScanWarning], discovery: Discovery? = nil, database: DatabaseMeasurement? = nil) {
        self.hasMessageSystem = hasMessageSystem
        self.messageSystemType = messageSystemType
        self.databaseType = databaseType
        self.hasEventLog = hasEventLog
        self.hasInboxStructure = hasInboxStructure
        self.hasAgentConfig = hasAgentConfig
        self.estimatedAgents = estimatedAgents
        self.estimatedUsers = estimatedUsers
        self.estimatedMessagesPerDay = estimatedMessagesPerDay
        self.messageFiles = messageFiles
        self.recentMessageFiles = recentMessageFiles
        self.estimatedScale = estimatedScale
        self.platform = platform
        self.patterns = patterns
        self.existingPatterns = existingPatterns
        self.gaps = gaps
        self.skippedPatterns = skippedPatterns
        self.customPatterns = customPatterns
        self.evidence = evidence
        self.warnings = warnings
        self.discovery = discovery
        self.database = database
    }
}

extension DetectionResult {
    /// True when messages per day came from the database: the tree has no message
    /// files and a message table has a timestamp column.
    package var messageVolumeFromDatabase: Bool {
        messageFiles == 0 && database?.messagesPerDay != nil
    }
}

/// One part of the tree a system's findings came from.
public struct SystemPart: Codable, Sendable, Hashable {
    /// The folder, relative to the analysed root, with a trailing `/`; `./` for files at the root.
    public var path: String
    /// What was found there: infrastructure facts and pattern ids, in the report's order.
    public var findings: [String]

    package init(path: String, findings: [String]) {
        self.path = path
        self.findings = findings
    }

    /// Folders whose children are parts of their own (`packages/bridge/`, `templates/variant-a/`).
    package static let containers: Set<Substring> = [
        "packages", "apps", "services", "libs", "modules", "plugins", "templates", "variants", "components", "tools", "cmd",
    ]

    /// Folders a system keeps its own messages, state, settings and programs in: evidence in
    /// them belongs to the system at the root, not to a part of its own.
    package static let ownFolders: Set<Substring> = [
        "inbox", "inboxes", "messages", "mailbox", "mailboxes", "outbox", "queue", "queues", "events", "event_log", "journal",
        "logs", "log", "registry", "config", "conf", "configs", "settings", "agents", "defer", "deferred", "priority", "urgent",
        "specs", "spec", "tla", "src", "lib", "bin", "scripts", "hooks", "internal", "pkg", "server", "api", "db", "migrations",
        "sql", "data", "state", "docs",
    ]

    /// The part a path belongs to: `./` for the system at the root (its own folders and hidden
    /// ones included), a container's child (`packages/bridge/`), another top-level folder
    /// (`agentchattr/`), or a folder beside the analysed one (`../scripts/`).
    package static func of(_ path: String) -> String {
        if path.hasPrefix("../") {
            let first = path.dropFirst(3).split(separator: "/").first ?? ""
            return "../" + first + "/"
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard components.count >= 2 else { return "./" }
        if containers.contains(components[0]), components.count >= 3 {
            return "\(components[0])/\(components[1])/"
        }
        if components[0].hasPrefix(".") || ownFolders.contains(components[0]) { return "./" }
        return "\(components[0])/"
    }
}

/// How sure one infrastructure fact is, and why.
public struct FactConfidence: Codable, Sendable, Hashable {
    /// `message-system`, `event-log`, `inbox-structure` or `agent-config`.
    public var fact: String
    /// How sure the detection of the fact is.
    public var confidence: Confidence
    /// Why, in a few words.
    public var reason: String

    package init(fact: String, confidence: Confidence, reason: String) {
        self.fact = fact
        self.confidence = confidence
        self.reason = reason
    }
}

/// A folder below the analysed root that looks like a coordination system.
public struct DiscoveryCandidate: Codable, Sendable, Hashable {
    /// Relative to the requested root, with a trailing `/`.
    public var path: String
    /// The marker names found in it (`inbox/`, `events.log`, ...), sorted.
    public var markers: [String]
    /// The markers' combined weight: inbox or mailboxes 3; messages, events,
    /// event_log, an event log file or agents file 2; queue or config file 1.
    public var strength: Int

    /// Every stored property, as the memberwise initializer takes them.
    package init(path: String, markers: [String], strength: Int) {
        self.path = path
        self.markers = markers
        self.strength = strength
    }
}

/// How a nested system was found when the requested root showed none.
public struct Discovery: Codable, Sendable, Hashable {
    /// The folder that was asked for, absolute.
    public var requestedPath: String
    /// The folder analysed instead, relative to the requested one; absent when
    /// nothing was chosen.
    public var chosen: String?
    /// Why that folder was analysed, in a sentence that names its markers and the other
    /// candidates.
    public var reason: String
    /// Candidates, strongest first (at most ten).
    public var candidates: [DiscoveryCandidate]

    /// Every stored property, as the memberwise initializer takes them.
    package init(requestedPath: String, chosen: String? = nil, reason: String, candidates: [DiscoveryCandidate]) {
        self.requestedPath = requestedPath
        self.chosen = chosen
        self.reason = reason
        self.candidates = candidates
    }
}

extension DetectionResult {
    /// Reads a detection, accepting reports written before the later keys of schema
    /// version 1 existed (`skipped_patterns`, `custom_patterns`), so an old baseline
    /// still diffs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hasMessageSystem = try c.decode(Bool.self, forKey: .hasMessageSystem)
        messageSystemType = try c.decode(MessageSystemType.self, forKey: .messageSystemType)
        databaseType = try c.decodeIfPresent(String.self, forKey: .databaseType)
        hasEventLog = try c.decode(Bool.self, forKey: .hasEventLog)
        hasInboxStructure = try c.decode(Bool.self, forKey: .hasInboxStructure)
        hasAgentConfig = try c.decode(Bool.self, forKey: .hasAgentConfig)
        estimatedAgents = try c.decode(Int.self, forKey: .estimatedAgents)
        estimatedUsers = try c.decode(Int.self, forKey: .estimatedUsers)
        estimatedMessagesPerDay = try c.decode(Int.self, forKey: .estimatedMessagesPerDay)
        messageFiles = try c.decode(Int.self, forKey: .messageFiles)
        recentMessageFiles = try c.decode(Int.self, forKey: .recentMessageFiles)
        estimatedScale = try c.decode(Scale.self, forKey: .estimatedScale)
        platform = try c.decode(String.self, forKey: .platform)
        patterns = try c.decode([PatternFinding].self, forKey: .patterns)
        existingPatterns = try c.decode([PatternID].self, forKey: .existingPatterns)
        gaps = try c.decode([PatternID].self, forKey: .gaps)
        skippedPatterns = try c.decodeIfPresent([String].self, forKey: .skippedPatterns) ?? []
        customPatterns = try c.decodeIfPresent([PatternFinding].self, forKey: .customPatterns) ?? []
        evidence = try c.decode([Evidence].self, forKey: .evidence)
        warnings = try c.decode([ScanWarning].self, forKey: .warnings)
        discovery = try c.decodeIfPresent(Discovery.self, forKey: .discovery)
        database = try c.decodeIfPresent(DatabaseMeasurement.self, forKey: .database)
        infrastructureConfidence = try c.decodeIfPresent([FactConfidence].self, forKey: .infrastructureConfidence)
        notCounted = try c.decodeIfPresent([Evidence].self, forKey: .notCounted)
        parts = try c.decodeIfPresent([SystemPart].self, forKey: .parts)
        systemMap = try c.decodeIfPresent(SystemMap.self, forKey: .systemMap)
    }
}
