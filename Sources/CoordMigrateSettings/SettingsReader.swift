import CoordMigrateModel
import CoordMigrateDetect
import CoordMigrateAnalysis
import Foundation
import Yams

/// A problem in a settings file (`--rules`, `--policy`, `.coord-migrate.yaml`):
/// which file, which line, and what was expected.
public struct SettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The settings file, as its path was given.
    public var file: String
    /// The 1-based line of the mistake, when known.
    public var line: Int?
    /// What is wrong, and what was expected.
    public var message: String

    /// `file:line: message`, or `file: message` when the line is unknown.
    public var description: String {
        if let line { "\(file):\(line): \(message)" } else { "\(file): \(message)" }
    }
}

/// Reads a YAML settings file strictly: every key must be known, every value of
/// the expected type, and every mistake is reported with its line.
struct SettingsReader {
    let node: Node
    let file: String

    /// Parses `text`; an empty document reads as an empty mapping.
    static func parse(_ text: String, file: String) throws(SettingsError) -> SettingsReader {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return SettingsReader(node: Node.mapping(Node.Mapping([])), file: file)
            }
            return SettingsReader(node: node, file: file)
        } catch let error as YamlError {
            var line: Int?
            var problem = String(describing: error).split(separator: "\n").first.map(String.init) ?? "malformed YAML"
            switch error {
            case let .scanner(_, text, mark, _), let .parser(_, text, mark, _), let .composer(_, text, mark, _):
                line = mark.line
                problem = text
            case let .duplicatedKeysInMapping(duplicates, context):
                line = context.mark.line
                problem = "duplicated keys \(duplicates.joined(separator: ", "))"
            default: break
            }
            throw SettingsError(file: file, line: line, message: "malformed YAML: \(problem)")
        } catch {
            throw SettingsError(file: file, message: "malformed YAML: \(error)")
        }
    }

    /// Reads the file at `path` (at most ``InputFile/settingsLimit`` bytes).
    static func load(_ path: String, links: InputFile.Links = .follow) throws(SettingsError) -> SettingsReader {
        let text: String
        do {
            text = try InputFile.readText(path, limit: InputFile.settingsLimit, links: links)
        } catch {
            throw SettingsError(file: path, message: message(for: error))
        }
        return try parse(text, file: path)
    }

    /// What went wrong reading a settings file, and what to do about it.
    static func message(for error: InputFile.ReadError) -> String {
        switch error.problem {
        case .tooLarge: "\(error.reason) for a settings file; pass a smaller file"
        case .notUTF8: "not UTF-8 text; save the file as UTF-8"
        case .notRegularFile: "cannot read the file: \(error.reason); pass a regular file"
        default: "cannot read the file: \(error.reason); check the path"
        }
    }

    var line: Int? { node.mark?.line }

    /// True when the value is a scalar (text, a number, a date), not a mapping or a list.
    var isScalar: Bool {
        if case .scalar = node { true } else { false }
    }

    func fail(_ message: String) -> SettingsError {
        SettingsError(file: file, line: line, message: message)
    }

    /// The mapping's values by key; a key not in `allowed` is an error.
    func mapping(allowed: [String], what: String) throws(SettingsError) -> [String: SettingsReader] {
        guard case let .mapping(mapping) = node else {
            throw fail("\(what) must be a mapping of \(allowed.joined(separator: ", "))")
        }
        var values: [String: SettingsReader] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw SettingsReader(node: key, file: file).fail("keys must be text") }
            guard allowed.contains(name) else {
                throw SettingsReader(node: key, file: file).fail(
                    "unknown key '\(name)' in \(what)\(Suggestion.hint(for: name, in: allowed)); expected one of \(allowed.joined(separator: ", "))")
            }
            values[name] = SettingsReader(node: value, file: file)
        }
        return values
    }

    func string(_ what: String) throws(SettingsError) -> String {
        guard case let .scalar(scalar) = node else { throw fail("\(what) must be text") }
        return scalar.string
    }

    func int(_ what: String, minimum: Int = 0) throws(SettingsError) -> Int {
        guard case let .scalar(scalar) = node, let value = Int(scalar.string), value >= minimum else {
            throw fail("\(what) must be a whole number of at least \(minimum)")
        }
        return value
    }

    func double(_ what: String) throws(SettingsError) -> Double {
        guard case let .scalar(scalar) = node, let value = Double(scalar.string), value > 0, value.isFinite else {
            throw fail("\(what) must be a positive number")
        }
        return value
    }

    func list(_ what: String) throws(SettingsError) -> [SettingsReader] {
        guard case let .sequence(sequence) = node else { throw fail("\(what) must be a list") }
        return sequence.map { SettingsReader(node: $0, file: file) }
    }

    func stringList(_ what: String) throws(SettingsError) -> [String] {
        var strings: [String] = []
        for item in try list(what) { strings.append(try item.string("each item of \(what)")) }
        return strings
    }
}
