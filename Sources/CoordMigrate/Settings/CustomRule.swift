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
}

extension CustomRule {
    /// Reads `rules:` from a rules file or the project file.
    static func readList(_ reader: SettingsReader) throws(SettingsError) -> [CustomRule] {
        var rules: [CustomRule] = []
        for item in try reader.list("rules") {
            let rule = try CustomRule(reading: item)
            if PatternID(rawValue: rule.id) != nil {
                throw item.fail("rule id '\(rule.id)' is a built-in pattern id; choose another")
            }
            if rules.contains(where: { $0.id == rule.id }) {
                throw item.fail("rule id '\(rule.id)' is used twice")
            }
            rules.append(rule)
        }
        return rules
    }

    /// Reads a whole `--rules` file: a mapping with one key, `rules`.
    public static func load(_ path: String) throws(SettingsError) -> [CustomRule] {
        let reader = try SettingsReader.load(path)
        let top = try reader.mapping(allowed: ["rules"], what: "a rules file")
        guard let list = top["rules"] else { throw reader.fail("a rules file needs a 'rules:' list") }
        return try readList(list)
    }

    init(reading reader: SettingsReader) throws(SettingsError) {
        let keys = try reader.mapping(
            allowed: ["id", "title", "description", "remediation", "doc", "when"], what: "a rule")
        guard let id = keys["id"] else { throw reader.fail("a rule needs an 'id'") }
        self.id = try id.string("id")
        guard self.id.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) != nil else {
            throw id.fail("rule id '\(self.id)' must be lower-case letters, digits, '.', '_' or '-'")
        }
        title = try keys["title"]?.string("title") ?? self.id
        description = try keys["description"]?.string("description") ?? ""
        remediation = try keys["remediation"]?.string("remediation") ?? "Follow the house rule \(self.id)."
        documentation = try keys["doc"]?.string("doc")
        guard let when = keys["when"] else { throw reader.fail("rule '\(self.id)' needs a 'when' with 'any' or 'all'") }
        let combinators = try when.mapping(allowed: ["any", "all"], what: "when")
        guard combinators.count == 1, let (name, list) = combinators.first else {
            throw when.fail("'when' takes exactly one of 'any' or 'all'")
        }
        requiresAll = name == "all"
        conditions = []
        for item in try list.list(name) {
            conditions.append(try Self.condition(item))
        }
        guard !conditions.isEmpty else { throw list.fail("'\(name)' needs at least one condition") }
    }

    private static func condition(_ reader: SettingsReader) throws(SettingsError) -> Condition {
        let keys = try reader.mapping(
            allowed: ["path_exists", "file_name", "content", "config_key"], what: "a condition")
        guard keys.count == 1, let (name, value) = keys.first else {
            throw reader.fail("a condition has exactly one of path_exists, file_name, content, config_key")
        }
        switch name {
        case "path_exists":
            return .pathExists(glob: try value.string("path_exists"))
        case "file_name":
            return .fileName(try regex(value, "file_name"))
        case "content":
            let parts = try value.mapping(allowed: ["glob", "regex"], what: "content")
            guard let glob = parts["glob"], let pattern = parts["regex"] else {
                throw value.fail("content needs both 'glob' and 'regex'")
            }
            return .content(glob: try glob.string("content.glob"), regex: try regex(pattern, "content.regex"))
        default:
            let path = try value.string("config_key").split(separator: ".").map(String.init)
            guard !path.isEmpty else { throw value.fail("config_key needs a dot-separated key path") }
            return .configKey(path)
        }
    }

    private static func regex(_ reader: SettingsReader, _ what: String) throws(SettingsError) -> NSRegularExpression {
        let pattern = try reader.string(what)
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            throw reader.fail("\(what) is not a valid regular expression: \(pattern)")
        }
    }
}
