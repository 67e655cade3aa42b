/// The outcome of one `--fail-on` condition, as the report carries it.
public struct GateResult: Codable, Sendable, Hashable {
    /// The condition, canonically spelled.
    public var condition: String
    /// True when the condition holds, which fails the run (exit code 1).
    public var failed: Bool
    /// The value the condition was checked against.
    public var actual: String
    /// One line for the terminal: `gate CONDITION failed: ACTUAL` or
    /// `gate CONDITION passed: ACTUAL`.
    public var message: String

    /// Every stored property, as the memberwise initializer takes them.
    package init(condition: String, failed: Bool, actual: String, message: String) {
        self.condition = condition
        self.failed = failed
        self.actual = actual
        self.message = message
    }
}
