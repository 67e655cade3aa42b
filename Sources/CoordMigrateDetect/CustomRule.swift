public import CoordMigrateModel
public import CoordMigrateScan
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

    public var id: String
    public var title: String
    public var description: String
    public var remediation: String
    public var documentation: String?
    /// True when every condition must hold; false when any one is enough.
    public var requiresAll: Bool
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
