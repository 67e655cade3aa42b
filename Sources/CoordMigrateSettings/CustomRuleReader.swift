import CoordMigrateAnalysis
public import CoordMigrateDetect
import CoordMigrateModel
import Foundation

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
        guard let idNode = keys["id"] else { throw reader.fail("a rule needs an 'id'") }
        let id = try idNode.string("id")
        guard id.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) != nil else {
            throw idNode.fail("rule id '\(id)' must be lower-case letters, digits, '.', '_' or '-'")
        }
        guard let when = keys["when"] else { throw reader.fail("rule '\(id)' needs a 'when' with 'any' or 'all'") }
        let combinators = try when.mapping(allowed: ["any", "all"], what: "when")
        guard combinators.count == 1, let (name, list) = combinators.first else {
            throw when.fail("'when' takes exactly one of 'any' or 'all'")
        }
        var conditions: [Condition] = []
        for item in try list.list(name) {
            conditions.append(try Self.condition(item))
        }
        guard !conditions.isEmpty else { throw list.fail("'\(name)' needs at least one condition") }
        self.init(
            id: id, title: try keys["title"]?.string("title") ?? id,
            description: try keys["description"]?.string("description") ?? "",
            remediation: try keys["remediation"]?.string("remediation") ?? "Follow the house rule \(id).",
            documentation: try keys["doc"]?.string("doc"), requiresAll: name == "all", conditions: conditions)
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
