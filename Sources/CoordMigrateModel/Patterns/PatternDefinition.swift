/// Everything about one of the eight patterns, in one place: its id and title, the
/// rule in words, what is looked for by kind of evidence, what to build when it is
/// missing, and small example trees that have it and do not. The report, the plan,
/// `coord-migrate patterns` and the tests all read it from here.
///
/// A new pattern is one file in `Patterns/` defining its `PatternDefinition`, a line
/// in ``all``, and its detector (one file in the Detect stage, listed in
/// `BuiltInDetectors`).
package struct PatternDefinition: Sendable {
    /// The fixed id (JSON value, JUnit test name, command-line id).
    package var id: PatternID
    /// A human title, e.g. "Defer queue".
    package var title: String
    /// One sentence on what is looked for (the seed's rule, then our extension).
    package var rule: String
    /// What the pattern is, in a sentence or two.
    package var summary: String
    /// What is looked for, for each kind of evidence that counts.
    package var lookedFor: [(kind: EvidenceKind, what: String)]
    /// One line on what to do, used as the JUnit failure message and in the gap list.
    package var remediation: String
    /// What the plan's step builds and why it matters.
    package var description: String
    /// A first command or file to create.
    package var firstMoves: [String]
    /// Small trees the detector must judge right: some with the pattern, some without.
    package var examples: [PatternExample]

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
    package static let all: [PatternDefinition] = [
        .collisionFreeMessaging, .eventSourcing, .contentAddressedDAG, .authorityDomains,
        .priorityQueue, .deferQueue, .faultTolerantWrappers, .tlaVerification,
    ]

    /// The definition of `id`.
    package static func of(_ id: PatternID) -> PatternDefinition {
        byID[id]!
    }

    private static let byID: [PatternID: PatternDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}

/// A tree small enough to write out in a test: folders, and files with their text.
package struct PatternExample: Sendable {
    /// What the example shows, in a few words.
    package var name: String
    /// Folders to create (relative; parents are created too).
    package var folders: [String]
    /// Files to create, relative path to content.
    package var files: [String: String]
    /// Whether the pattern is present in this tree.
    package var present: Bool

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
    package init(pattern: PatternID, present: Bool, summary: String, evidenceKinds: [EvidenceKind] = []) {
        let definition = pattern.definition
        self.init(
            id: pattern.rawValue, title: definition.title, present: present, summary: summary,
            evidenceKinds: present ? evidenceKinds : [], remediation: definition.remediation)
    }
}

extension PatternID {
    /// The pattern's definition.
    package var definition: PatternDefinition { PatternDefinition.of(self) }
    /// A human title for the pattern.
    public var title: String { definition.title }
    /// One sentence on what is looked for.
    public var rule: String { definition.rule }
}
