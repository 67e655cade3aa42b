/// What each pattern is and what is looked for, by kind of evidence: the text
/// behind `coord-migrate patterns` and `--explain`.
package struct PatternDescription: Sendable, Hashable {
    /// The pattern described.
    package var pattern: PatternID
    /// What the pattern is, in a sentence or two.
    package var summary: String
    /// What is looked for, for each kind of evidence that counts.
    package var lookedFor: [(kind: EvidenceKind, what: String)]

    /// Two descriptions are equal when they describe the same pattern.
    package static func == (lhs: PatternDescription, rhs: PatternDescription) -> Bool { lhs.pattern == rhs.pattern }
    /// Hashes the pattern alone, as `==` compares it.
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// The evidence kinds that count for this pattern.
    package var evidenceKinds: [EvidenceKind] { lookedFor.map(\.kind) }

    /// Every stored property, as the memberwise initializer takes them.
    package init(pattern: PatternID, summary: String, lookedFor: [(kind: EvidenceKind, what: String)]) {
        self.pattern = pattern
        self.summary = summary
        self.lookedFor = lookedFor
    }
}

/// The patterns' descriptions, as `coord-migrate patterns` prints them; each is
/// read from the pattern's ``PatternDefinition``.
package enum PatternCatalog {
    /// The eight descriptions, in ``PatternID`` order.
    package static let all: [PatternDescription] = PatternID.allCases.map(describe)

    /// The description of one pattern.
    package static func describe(_ pattern: PatternID) -> PatternDescription {
        let definition = pattern.definition
        return PatternDescription(pattern: pattern, summary: definition.summary, lookedFor: definition.lookedFor)
    }
}
