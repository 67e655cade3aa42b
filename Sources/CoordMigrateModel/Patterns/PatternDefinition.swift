/// Everything about one of the eight patterns, in one place: its id and title, the
/// rule in words, what is looked for by kind of evidence, what to build when it is
/// missing, and small example trees that have it and do not. The report, the plan,
/// `coord-migrate patterns` and the tests all read it from here.
///
/// A new pattern is one file in `Patterns/` defining its `PatternDefinition`, a line
/// in ``all``, and its detector (one file in the Detect stage, listed in
/// `BuiltInDetectors`).
public struct PatternDefinition: Sendable {
    /// The fixed id (JSON value, JUnit test name, command-line id).
    public var id: PatternID
    /// A human title, e.g. "Defer queue".
    public var title: String
    /// One sentence on what is looked for (the seed's rule, then our extension).
    public var rule: String
    /// What the pattern is, in a sentence or two.
    public var summary: String
    /// What is looked for, for each kind of evidence that counts.
    public var lookedFor: [(kind: EvidenceKind, what: String)]
    /// One line on what to do, used as the JUnit failure message and in the gap list.
    public var remediation: String
    /// What the plan's step builds and why it matters.
    public var description: String
    /// A first command or file to create.
    public var firstMoves: [String]
    /// Small trees the detector must judge right: some with the pattern, some without.
    public var examples: [PatternExample]

    package init(
        id: PatternID, title: String, rule: String, summary: String, lookedFor: [(kind: EvidenceKind, what: String)],
        remediation: String, description: String, firstMoves: [String], examples: [PatternExample]
    ) {
        self.id = id
        self.title = title
        self.rule = rule
        self.summary = summary
        self.lookedFor = lookedFor
        self.remediation = remediation
        self.description = description
        self.firstMoves = firstMoves
        self.examples = examples
    }

    /// The eight, in the order every report lists them.
    public static let all: [PatternDefinition] = [
        .collisionFreeMessaging, .eventSourcing, .contentAddressedDAG, .authorityDomains,
        .priorityQueue, .deferQueue, .faultTolerantWrappers, .tlaVerification,
    ]

    /// The definition of `id`.
    public static func of(_ id: PatternID) -> PatternDefinition {
        byID[id]!
    }

    private static let byID: [PatternID: PatternDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}

/// A tree small enough to write out in a test: folders, and files with their text.
public struct PatternExample: Sendable {
    /// What the example shows, in a few words.
    public var name: String
    /// Folders to create (relative; parents are created too).
    public var folders: [String]
    /// Files to create, relative path to content.
    public var files: [String: String]
    /// Whether the pattern is present in this tree.
    public var present: Bool

    package init(_ name: String, folders: [String] = [], files: [String: String] = [:], present: Bool) {
        self.name = name
        self.folders = folders
        self.files = files
        self.present = present
    }
}

extension PatternFinding {
    /// The finding for a built-in pattern, titled and with the remediation its
    /// definition gives; evidence kinds count only when it is present.
    public init(pattern: PatternID, present: Bool, summary: String, evidenceKinds: [EvidenceKind] = []) {
        let definition = pattern.definition
        self.init(
            id: pattern.rawValue, title: definition.title, present: present, summary: summary,
            evidenceKinds: present ? evidenceKinds : [], remediation: definition.remediation)
    }
}

extension PatternID {
    /// The pattern's definition.
    public var definition: PatternDefinition { PatternDefinition.of(self) }
    /// A human title for the pattern.
    public var title: String { definition.title }
    /// One sentence on what is looked for.
    public var rule: String { definition.rule }
}
