public import CoordMigrateModel
public import CoordMigrateDetect
public import CoordMigrateAnalysis
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.coord-migrate.yaml` at the analysed root (or `--config FILE`): the team's
/// settings, so every run in CI and on laptops agrees. Flags on the command line
/// replace the file's value for the same setting.
///
/// ```yaml
/// exclude: [vendor, "*.bak"]
/// skip_patterns:
///   - id: tla-verification
///     reason: We do not write formal specifications.
///     owner: platform-team          # optional
///     expires: 2027-03-31           # optional: checked again from that day on
///   - defer-queue                   # an id alone: skipped, with no reason of its own
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

    /// The file the settings were read from.
    public var path: String
    /// The house rules under `rules:`.
    public var rules: [CustomRule] = []
    /// The scoring policy under `policy:` (the defaults with the file's changes); nil
    /// when the file has none.
    public var policy: ScoringPolicy?
    /// The globs under `exclude:`, skipped besides the default excludes; nil when the file
    /// has none.
    public var excludes: [String]?
    /// The built-in patterns under `skip_patterns`, with the reason (every entry,
    /// expired or not; ``skips`` has their owners and dates).
    public var skippedPatterns: [PatternID: String] = [:]
    /// The other ids under `skip_patterns` (custom findings and house rules, or ids
    /// that name nothing, refused when the options are resolved), with the reason.
    public var skippedFindings: [String: String] = [:]
    /// The entries of `skip_patterns` in the file's order, with owner, expiry date and
    /// line; `source` is the file's path as given.
    public var skips: [PatternSkip] = []
    /// The gate conditions under `fail_on:`; nil when the file has none.
    public var failOn: [GateCondition]?
    /// The format names under `formats:`, as written (checked only when used); nil when
    /// the file has none.
    public var formats: [String]?

    /// The line in `path` of each `skip_patterns` id, and of each `formats` item (as
    /// written, the first when repeated): these values are checked only after loading
    /// (a skipped id may name a rule from `--rules`), and their errors still name the line.
    /// See `error(skipping:_:)` and `error(format:_:)`.
    var skippedPatternLines: [String: Int] = [:]
    var formatLines: [String: Int] = [:]

    /// Reads the project file at `path` (`--config FILE`); a symbolic link is followed.
    public static func load(_ path: String) throws(SettingsError) -> ProjectConfig {
        try ProjectConfig(reading: SettingsReader.load(path))
    }

    /// Reads ``fileName`` in the analysed folder `root`, or returns nil when there is none.
    ///
    /// The tree is untrusted, so the file must be a regular file there: a symbolic
    /// link is refused without being followed (it could point anywhere outside the
    /// tree), and so is a FIFO, socket or device; its size is limited like every
    /// settings file's.
    public static func load(inFolder root: String) throws(SettingsError) -> ProjectConfig? {
        let path = (root.hasSuffix("/") ? root : root + "/") + fileName
        var status = stat()
        if lstat(path, &status) != 0 {
            if errno == ENOENT { return nil }
            // Any other failure is reported by the read below.
        } else if status.st_mode & S_IFMT == S_IFLNK {
            throw SettingsError(
                file: path,
                message: "it is a symbolic link, which is not followed out of the analysed folder; "
                    + "put the file itself there or pass it with --config FILE")
        } else if status.st_mode & S_IFMT != S_IFREG {
            throw SettingsError(
                file: path, message: "it is not a regular file; make it one, or pass a project file with --config FILE")
        }
        // O_NOFOLLOW as well: the entry may have been replaced by a link since lstat.
        return try ProjectConfig(reading: SettingsReader.load(path, links: .refuse))
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
                let skip = try Self.skip(item, file: reader.file)
                guard skippedPatternLines[skip.id] == nil else {
                    throw item.fail("'\(skip.id)' is skipped twice; keep one entry")
                }
                if let pattern = skip.pattern { skippedPatterns[pattern] = skip.reason } else { skippedFindings[skip.id] = skip.reason }
                skippedPatternLines[skip.id] = skip.line
                skips.append(skip)
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
        if let value = keys["formats"] {
            let items = try value.stringList("formats")
            for (text, item) in zip(items, try value.list("formats")) where formatLines[text] == nil {
                formatLines[text] = item.line
            }
            formats = items
        }
    }

    /// One `skip_patterns` entry: an id alone (the form older files use), or a mapping
    /// with `id` and `reason`, and optionally `owner` and `expires` (`YYYY-MM-DD`).
    static func skip(_ item: SettingsReader, file: String) throws(SettingsError) -> PatternSkip {
        if item.isScalar {
            let id = try item.string("a skipped pattern")
            guard !id.isEmpty else { throw item.fail("a skipped pattern needs an id") }
            return PatternSkip(id: id, reason: "skipped in \(fileName)", source: file, line: item.line)
        }
        let entry = try item.mapping(allowed: ["id", "reason", "owner", "expires"], what: "a skipped pattern")
        guard let id = entry["id"], let reason = entry["reason"] else {
            throw item.fail("a skipped pattern needs an 'id' and a 'reason' (and may have an 'owner' and an 'expires' date)")
        }
        let owner = try entry["owner"].map { value throws(SettingsError) in try value.string("owner") }
        let expires = try entry["expires"].map { value throws(SettingsError) -> String in
            let text = try value.string("expires")
            guard PatternSkip.expiryInstant(text) != nil else {
                throw value.fail("expires must be a date written YYYY-MM-DD, like 2027-03-31, not '\(text)'")
            }
            return text
        }
        return PatternSkip(
            id: try id.string("id"), reason: try reason.string("reason"), owner: owner, expires: expires,
            source: file, line: id.line)
    }

    /// The error for the skipped id `id`, read from this file, that names no pattern or
    /// rule: `path:line: message`, like any other mistake in the file (`path: message`
    /// for an id set after loading, whose line is unknown).
    package func error(skipping id: String, _ message: String) -> SettingsError {
        SettingsError(file: path, line: skippedPatternLines[id], message: message)
    }

    /// The error for the `formats` item `item` (as written, commas and all), read from
    /// this file, that names no format: `path:line: message`.
    package func error(format item: String, _ message: String) -> SettingsError {
        SettingsError(file: path, line: formatLines[item], message: message)
    }
}
