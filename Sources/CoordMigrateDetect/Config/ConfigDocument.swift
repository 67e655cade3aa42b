import CoordMigrateModel
import CoordMigrateScan
import Foundation
import Yams

/// A parsed configuration file, YAML or JSON, reduced to the shapes detection needs.
indirect enum ConfigValue: Equatable {
    case mapping([(key: String, value: ConfigValue)])
    case list([ConfigValue])
    case scalar(String)
    case null

    static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case let (.mapping(a), .mapping(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.list(a), .list(b)): a == b
        case let (.scalar(a), .scalar(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    subscript(key: String) -> ConfigValue? {
        guard case let .mapping(pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    var scalar: String? {
        if case let .scalar(text) = self { text } else { nil }
    }
}

/// An agent configuration file and what it holds.
package struct ConfigDocument: Sendable {
    var path: String
    var document: ConfigValue
}

/// Why a configuration file could not be read.
struct ConfigError: Error, Equatable {
    var line: Int?
    var message: String
}

enum ConfigParser {
    /// The longest configuration file read; longer files are read up to this size.
    static let readLimit = 1024 * 1024

    /// Parses YAML (a superset of JSON), JSON or TOML, by file extension.
    static func parse(_ bytes: [UInt8], fileExtension: Substring) throws(ConfigError) -> ConfigValue {
        guard !bytes.isEmpty, bytes.contains(where: { !Self.isWhitespace($0) }) else {
            throw ConfigError(message: "the file is empty")
        }
        if bytes.contains(0) {
            throw ConfigError(message: "the file is binary, not text")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(message: "the file is not UTF-8 text")
        }
        if fileExtension == "json" {
            return try parseJSON(Data(bytes), text: text)
        }
        if fileExtension == "toml" {
            return TOMLReader.parse(text)
        }
        return try parseYAML(text)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func parseYAML(_ text: String) throws(ConfigError) -> ConfigValue {
        let node: Node?
        do {
            node = try composeYAML(text)
        } catch let error as YamlError {
            throw ConfigError(line: line(of: error), message: "malformed YAML: \(problem(of: error))")
        } catch {
            throw ConfigError(message: "malformed YAML: \(error)")
        }
        guard let node else { return .null }
        var budget = nodeBudget
        guard let value = convert(node, budget: &budget) else {
            throw ConfigError(message: "the document expands to more than \(nodeBudget) values (YAML aliases); not read")
        }
        return value
    }

    /// The document's node tree. `.basic` has no resolver rules: Yams' default
    /// resolver compiles seven regular expressions on first use and runs them on
    /// every plain scalar, only for the two answers `convert` needs, null and
    /// `<<`, which `isNull` and `isMergeKey` give from the scalar's style and tag.
    private static func composeYAML(_ text: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch YamlError.duplicatedKeysInMapping {
            // Yams' duplicate-key check compares keys by resolved tag, and `.basic`
            // resolves every plain key to `!!str`: `1` and `"1"` (or `on`/`'on'`,
            // `null`/`"null"`) look like one key. Compose again with the default
            // resolver, which tells them apart; a real duplicate fails there too,
            // and that error (its keys and line) is the one reported.
            return try Yams.compose(yaml: text, .default)
        }
    }

    /// The most values a configuration may expand to. Aliases can make a few
    /// hundred bytes of YAML expand to billions of nodes ("billion laughs").
    static let nodeBudget = 100_000

    /// The node as a ``ConfigValue``, or nil once more than `budget` values were made.
    private static func convert(_ node: Node, budget: inout Int) -> ConfigValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case let .scalar(scalar):
            return isNull(scalar) ? .null : .scalar(scalar.string)
        case let .sequence(sequence):
            var items: [ConfigValue] = []
            for item in sequence {
                guard let value = convert(item, budget: &budget) else { return nil }
                items.append(value)
            }
            return .list(items)
        case let .mapping(mapping):
            var pairs: [(key: String, value: ConfigValue)] = []
            var merged: [(key: String, value: ConfigValue)] = []
            for (key, value) in mapping {
                guard let converted = convert(value, budget: &budget) else { return nil }
                if isMergeKey(key) {
                    // YAML merge key: `<<: *defaults` (or a list of them) lends its keys.
                    let sources: [ConfigValue] =
                        switch converted {
                        case let .list(items): items
                        case let other: [other]
                        }
                    for case let .mapping(lent) in sources { merged += lent }
                } else {
                    pairs.append((key: key.string ?? "\(key)", value: converted))
                }
            }
            for (key, value) in merged where !pairs.contains(where: { $0.key == key }) {
                pairs.append((key: key, value: value))
            }
            return .mapping(pairs)
        case let .alias(alias):
            return .scalar("*\(alias.anchor.rawValue)")
        }
    }

    /// Whether the scalar is null as YAML 1.1 resolves it: tagged `!!null`, or
    /// untagged plain `~`, `null`, `Null`, `NULL` or nothing. Quoted and block
    /// scalars carry an explicit `!!str` from Yams, so `"null"` stays text, as
    /// does `!!str null`. Only mapping keys (and what an alias shares with one)
    /// get their tag resolved, by Yams' duplicate-key check; the default resolver
    /// of the fallback in `composeYAML` makes a plain null `!!null`. (Tags are
    /// compared by name: `Tag(.null)` would build `Resolver.default`, and with it
    /// the regular expressions.)
    private static func isNull(_ scalar: Node.Scalar) -> Bool {
        switch scalar.tag.rawValue {
        case Tag.Name.null.rawValue:
            return true
        case Tag.Name.implicit.rawValue:
            guard scalar.style == .plain else { return false }
            switch scalar.string {
            case "", "~", "null", "Null", "NULL": return true
            default: return false
            }
        default:
            return false
        }
    }

    /// Whether the mapping key is the YAML merge key: tagged `!!merge`, or a
    /// plain-style `<<`; a quoted `"<<"` is an ordinary key. Yams' duplicate-key
    /// check has already resolved an untagged key's tag (with `.basic`, to `!!str`;
    /// with the default resolver of the fallback in `composeYAML`, a plain `<<` to
    /// `!!merge`), so `!!str` counts as untagged here: an explicit `!!str <<` key
    /// merges too.
    private static func isMergeKey(_ key: Node) -> Bool {
        guard case let .scalar(scalar) = key else { return key.tag.rawValue == Tag.Name.merge.rawValue }
        switch scalar.tag.rawValue {
        case Tag.Name.merge.rawValue:
            return true
        case Tag.Name.implicit.rawValue, Tag.Name.str.rawValue:
            return scalar.style == .plain && scalar.string == "<<"
        default:
            return false
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            mark.line
        case let .duplicatedKeysInMapping(_, context):
            context.mark.line
        default:
            nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            problem
        case let .reader(problem, _, _, _):
            problem
        case let .duplicatedKeysInMapping(duplicates, _):
            "duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }

    static func parseJSON(_ data: Data, text: String) throws(ConfigError) -> ConfigValue {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let nsError = error as NSError
            let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "unexpected content"
            var line: Int?
            var offset = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int
            if offset == nil, let range = detail.firstRange(of: "around character ") {
                offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
            }
            if let offset {
                line = text.utf8.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            }
            if let (literal, numberLine) = JSONNumbers.firstOutOfRange(in: data) {
                throw ConfigError(line: numberLine, message: "a number is out of range: \(literal.prefix(40))")
            }
            throw ConfigError(line: line, message: "malformed JSON: \(detail)")
        }
        return convert(any: object)
    }

    private static func convert(any object: Any) -> ConfigValue {
        switch object {
        case let dictionary as [String: Any]:
            .mapping(dictionary.keys.sorted().map { (key: $0, value: convert(any: dictionary[$0]!)) })
        case let array as [Any]:
            .list(array.map(convert(any:)))
        case is NSNull:
            .null
        case let string as String:
            .scalar(string)
        case let number as NSNumber:
            .scalar(number.stringValue)
        default:
            .scalar("\(object)")
        }
    }
}

/// What an agent configuration file declares.
package struct AgentConfigSummary: Equatable, Sendable {
    /// Agent names (or positions, for unnamed list entries).
    var agents: [String] = []
    var agentsWithAuthorityDomains: [String] = []
    /// Whether the file has a `database` key, and its `type` if one is given.
    var declaresDatabase = false
    var databaseType: String?

    init() {}

    /// The first of `keys` under which `agent` declares authority. `authority_domains` always
    /// counts; the others (`capabilities`, `permissions`, `scopes`…) only as a list of tokens
    /// a program can compare (`classify`, `repo:write`, `src/**`): free text describes what an
    /// agent does, and nothing can enforce it.
    static func authorityKey(of agent: ConfigValue, among keys: [String]) -> String? {
        keys.first { key in
            guard let value = agent[key] else { return false }
            return key == "authority_domains" || isScopeList(value)
        }
    }

    private static func isScopeList(_ value: ConfigValue) -> Bool {
        var leaves: [String] = []
        func collect(_ value: ConfigValue) {
            switch value {
            case let .scalar(text): leaves.append(text)
            case let .list(items): items.forEach(collect)
            case let .mapping(pairs): pairs.forEach { leaves.append($0.key); collect($0.value) }
            case .null: break
            }
        }
        collect(value)
        let token = { (text: String) in
            !text.isEmpty && text.utf8.count <= 80
                && text.utf8.allSatisfy { byte in
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                        || "_.:/*-@#".utf8.contains(byte)
                }
        }
        return !leaves.isEmpty && leaves.allSatisfy(token)
    }

    /// Reads the agents from `agents:` (a mapping or a list). In a file named
    /// `agents.*` without an `agents:` key, the top level itself is the agents.
    init(_ document: ConfigValue, isAgentsFile: Bool, authorityKeys: [String] = ["authority_domains"]) {
        var agentsNode = document["agents"]
        if agentsNode == nil, isAgentsFile {
            agentsNode = document
        }
        switch agentsNode {
        case let .mapping(pairs)?:
            for (name, value) in pairs {
                agents.append(name)
                if Self.authorityKey(of: value, among: authorityKeys) != nil { agentsWithAuthorityDomains.append(name) }
            }
        case let .list(items)?:
            for (index, item) in items.enumerated() {
                let name = item["name"]?.scalar ?? item["id"]?.scalar ?? item.scalar ?? "#\(index + 1)"
                agents.append(name)
                if Self.authorityKey(of: item, among: authorityKeys) != nil { agentsWithAuthorityDomains.append(name) }
            }
        default:
            break
        }
        if let database = document["database"] {
            declaresDatabase = true
            switch database {
            case let .scalar(type): databaseType = type
            default: databaseType = database["type"]?.scalar
            }
        }
    }
}
