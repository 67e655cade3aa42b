/// What to build for each missing pattern: the remediation that appears in every
/// format, the step's description, and a first concrete move.
package struct PatternGuidance: Sendable, Hashable {
    /// The pattern the guidance is for.
    package var pattern: PatternID
    /// One line on what to do, used as the JUnit failure message and in the gap list.
    package var remediation: String
    /// What the step builds and why it matters.
    package var description: String
    /// A first command or file to create.
    package var firstMoves: [String]

    /// The guidance for `pattern`, read from its ``PatternDefinition``.
    package static func `for`(_ pattern: PatternID) -> PatternGuidance {
        let definition = pattern.definition
        return PatternGuidance(
            pattern: pattern, remediation: definition.remediation, description: definition.description,
            firstMoves: definition.firstMoves)
    }

    /// Every stored property, as the memberwise initializer takes them.
    package init(pattern: PatternID, remediation: String, description: String, firstMoves: [String]) {
        self.pattern = pattern
        self.remediation = remediation
        self.description = description
        self.firstMoves = firstMoves
    }
}
