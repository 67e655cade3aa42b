import CoordMigrateModel
import CoordMigrateScan
public import Foundation

/// A house pattern declared in YAML (`--rules FILE`, or `rules:` in
/// `.coord-migrate.yaml`). It runs in the same walk as the built-ins and is
/// reported beside the eight patterns, without changing the score unless the
/// policy says so.
///
/// ```yaml
/// rules:
///   - id: lock-files
///     title: Lock files guard shared state
///     description: Writers take a lock before touching shared files.
///     remediation: Take an flock around every write to shared state.
///     doc: https://wiki.example.com/coordination/locks
///     when:
///       any:
///         - path_exists: "locks/*"
///         - file_name: '\.lock$'
///         - content: { glob: "scripts/*.sh", regex: "flock" }
///         - config_key: "agents.*.lock_timeout"
/// ```
public struct CustomRule: Sendable {
    /// One test a rule makes.
    public enum Condition: Sendable {
        /// Some entry's relative path matches the glob (fnmatch; `*` also crosses `/`).
        case pathExists(glob: String)
        /// Some file's name matches the regular expression.
        case fileName(NSRegularExpression)
        /// A line of a file whose path matches the glob matches the regular expression.
        case content(glob: String, regex: NSRegularExpression)
        /// The key path (dot-separated, `*` for any key or item) exists in an agent configuration file.
        case configKey([String])

        var kind: EvidenceKind {
            switch self {
            case .pathExists, .fileName: .disk
            case .content: .code
            case .configKey: .config
            }
        }
    }

    /// The rule's id, as its finding, its evidence and `--skip-pattern` name it. The readers
    /// accept lower-case letters, digits, `.`, `_` and `-`, and refuse a built-in pattern id.
    public var id: String
    /// The finding's title (the id when the file gives none).
    public var title: String
    /// What the rule checks; the finding's summary when the rule holds. May be empty.
    public var description: String
    /// What to do when the rule does not hold: the finding's remediation.
    public var remediation: String
    /// Where to read more (`doc:`), carried to the finding's `documentation`.
    public var documentation: String?
    /// True when every condition must hold; false when any one is enough.
    public var requiresAll: Bool
    /// The tests the rule makes, combined as ``requiresAll`` says; the readers refuse an empty list.
    public var conditions: [Condition]

    /// Every stored property, as the memberwise initializer takes them.
    package init(id: String, title: String, description: String, remediation: String, documentation: String? = nil, requiresAll: Bool, conditions: [Condition]) {
        self.id = id
        self.title = title
        self.description = description
        self.remediation = remediation
        self.documentation = documentation
        self.requiresAll = requiresAll
        self.conditions = conditions
    }
}
