import Foundation

/// `.coord-migrate.yaml` at the analysed root (or `--config FILE`): the team's
/// settings, so every run in CI and on laptops agrees. Flags on the command line
/// replace the file's value for the same setting.
///
/// ```yaml
/// exclude: [vendor, "*.bak"]
/// skip_patterns:
///   - id: tla-verification
///     reason: We do not write formal specifications.
/// fail_on: ["risk>=high", "missing:event-sourcing"]
/// formats: [md, junit]
/// policy:
///   hours: { base: { simple: 6 } }
/// rules:
///   - id: lock-files
///     when: { any: [ { file_name: '\.lock$' } ] }
/// ```
public struct ProjectConfig: Sendable {
    /// The file name looked for at the analysed root.
    public static let fileName = ".coord-migrate.yaml"

    public var path: String
    public var rules: [CustomRule] = []
    public var policy: ScoringPolicy?
    public var excludes: [String]?
    /// Pattern ids (built-in or custom) not to check, with the reason.
    public var skippedPatterns: [String: String] = [:]
    public var failOn: [GateCondition]?
    public var formats: [String]?

    public static func load(_ path: String) throws(SettingsError) -> ProjectConfig {
        try ProjectConfig(reading: SettingsReader.load(path))
    }

    init(reading reader: SettingsReader) throws(SettingsError) {
        path = reader.file
        let keys = try reader.mapping(
            allowed: ["rules", "policy", "exclude", "skip_patterns", "fail_on", "formats"], what: "the project file")
        if let value = keys["rules"] { rules = try CustomRule.readList(value) }
        if let value = keys["policy"] { policy = try ScoringPolicy(reading: value) }
        if let value = keys["exclude"] { excludes = try value.stringList("exclude") }
        if let value = keys["skip_patterns"] {
            for item in try value.list("skip_patterns") {
                let entry = try item.mapping(allowed: ["id", "reason"], what: "a skipped pattern")
                guard let id = entry["id"], let reason = entry["reason"] else {
                    throw item.fail("a skipped pattern needs an 'id' and a 'reason'")
                }
                skippedPatterns[try id.string("id")] = try reason.string("reason")
            }
        }
        if let value = keys["fail_on"] {
            var gates: [GateCondition] = []
            for item in try value.list("fail_on") {
                let text = try item.string("each fail_on condition")
                do {
                    gates.append(try GateCondition(parsing: text))
                } catch {
                    throw item.fail(error.description)
                }
            }
            failOn = gates
        }
        if let value = keys["formats"] { formats = try value.stringList("formats") }
    }
}
