import CoordMigrateAnalysis
import CoordMigrateDetect
public import CoordMigrateEmit
import CoordMigrateModel
import CoordMigrateScan
import CoordMigrateSettings
package import Foundation

/// What a user asked for, as the command line spells it: every value optional or
/// empty when not given. ``resolve(environment:)`` turns it into the analysis options,
/// the emitters and where each report goes — flags first, then the project file
/// (`.coord-migrate.yaml`), then the defaults — refusing anything wrong before any
/// work starts.
public struct AnalysisRequest: Sendable {
    /// The folder that holds the system.
    public var path = "."
    /// Format names (`md`, `html,json`, …); empty: the project file's, else Markdown.
    public var formats: [String] = []
    /// One report file, or `-` for standard output.
    public var output: String?
    /// The folder for one report per format.
    public var outputDirectory: String?
    /// Users' Mustache templates for Markdown and HTML.
    public var markdownTemplate: String?
    /// A user's Mustache template for HTML (`--html-template`).
    public var htmlTemplate: String?
    /// `--fail-on` conditions; empty: the project file's.
    public var failOn: [String] = []
    /// A `--rules`, `--policy` or `--config` file.
    public var rulesFile: String?
    /// A `--policy` file: scoring weights, thresholds, hours and durations.
    public var policyFile: String?
    /// A `--config` project file instead of the analysed folder's `.coord-migrate.yaml`.
    public var projectFile: String?
    /// Pattern or rule ids not to check; empty: the project file's.
    public var skipPatterns: [String] = []
    /// Globs to skip; empty: the project file's.
    public var excludes: [String] = []
    /// True: `.git`, `node_modules` and `.build` are walked too.
    public var noDefaultExcludes = false
    /// The report time (ISO 8601); nil: `SOURCE_DATE_EPOCH`, else the clock.
    public var now: String?
    /// Walk and detect on one thread.
    public var serialWalk = false
    /// The database: a URL the user names, never connecting, or connecting to the
    /// server the analysed tree names, with the variables it may read.
    public var databaseURL: String?
    /// `--no-database`: never connect to a database.
    public var noDatabase = false
    /// `--connect-database`: connect to the PostgreSQL server the analysed folder names.
    public var connectDatabase = false
    /// `--allow-env`: the variables a `${NAME}` in the analysed folder may read (names, or comma-separated lists).
    public var allowEnvironment: [String] = []
    /// `--database-timeout`: seconds the whole database phase may take.
    public var databaseTimeout: Double = 30
    /// One report per system found below a folder that is none itself.
    public var discover = false
    /// The formats to choose from; nil: ``EmitterRegistry/all`` (the built-ins and
    /// those registered process-wide).
    public var emitters: [EmitterRegistry.Entry]?

    /// An empty request: the defaults everywhere.
    public init() {}

    /// The request, checked and resolved: everything an analysis and its writer need.
    public struct Resolved: Sendable {
        /// The analysed folder, absolute.
        public var root: String
        /// The options the analysis runs with.
        public var options: AnalysisOptions
        /// The formats in order, each with the file (or stdout) its report goes to.
        public var outputs: [ReportWriter.Output]
        /// Whether the request names one file (`--output`) rather than a folder.
        public var namesOneFile: Bool
    }

    /// Checks and resolves the request. `environment` is the user's (for
    /// `SOURCE_DATE_EPOCH`, `COORD_MIGRATE_DATABASE_URL` and allowed `${NAME}`s).
    public func resolve(environment: [String: String]) throws(RequestError) -> Resolved {
        let root: String
        do { root = try MigrationAssistant.resolveRoot(path) } catch { throw RequestError(error) }
        let project = try settings { () throws(SettingsError) -> ProjectConfig? in
            if let projectFile { return try ProjectConfig.load(projectFile) }
            return try ProjectConfig.load(inFolder: root)
        }
        let entries = try resolveFormats(project: project)
        var templates: [String: String?] = [:]
        let templateFiles = [("md", markdownTemplate), ("html", htmlTemplate)].reduce(into: [String: String]()) { files, pair in
            if let file = pair.1 { files[pair.0] = file }
        }
        if let markdownTemplate { templates["md"] = try Self.template(markdownTemplate, flag: "--template") }
        if let htmlTemplate { templates["html"] = try Self.template(htmlTemplate, flag: "--html-template") }
        let clock = try ReportClock.resolve(now: now, environment: environment)

        // The project file applies as a library user applies it; then flags replace
        // its value for the same setting.
        let defaultExcludes = noDefaultExcludes ? [] : ScanOptions.defaultExcludes
        var scan = ScanOptions(excludes: defaultExcludes)
        scan.maxWarnings = 100
        scan.concurrent = !serialWalk
        var options = AnalysisOptions(now: clock, scan: scan)
        if let project { options.apply(project, analysedFolder: root) }
        if !excludes.isEmpty { options.scan.excludes = defaultExcludes + excludes }
        options.database = try resolveDatabase(environment: environment)
        if !failOn.isEmpty {
            options.gates = []
            for text in failOn {
                do { options.gates.append(try GateCondition(parsing: text)) } catch { throw RequestError(error.description) }
            }
        }
        if let rulesFile {
            options.rules = try settings { () throws(SettingsError) in try CustomRule.load(rulesFile) }
        }
        if let policyFile {
            options.policy = try settings { () throws(SettingsError) in try ScoringPolicy.load(policyFile) }
            options.policySource = policyFile
        }
        if !skipPatterns.isEmpty {
            var seen = Set<String>()
            options.skips = skipPatterns.filter { seen.insert($0).inserted }.map {
                PatternSkip(id: $0, reason: "skipped with --skip-pattern", source: "--skip-pattern")
            }
        }
        let knownIDs = Set(PatternID.allCases.map(\.rawValue) + options.rules.map(\.id))
        let skipsFromFile = skipPatterns.isEmpty ? project : nil
        for id in options.skips.map(\.id).sorted() where !knownIDs.contains(id) {
            let message = "cannot skip '\(id)': not a pattern or rule id\(Suggestion.hint(for: id, in: knownIDs.sorted())) (patterns: \(PatternID.allCases.map(\.rawValue).joined(separator: ", ")))"
            throw RequestError(skipsFromFile.map { $0.error(skipping: id, message).description } ?? message)
        }
        // Last, once everything else is known to be right: a missing output folder is
        // created here, so a refused request leaves nothing behind.
        let outputs = try ReportWriter.destinations(
            for: entries, output: output, outputDirectory: outputDirectory, templates: templates,
            templateFiles: templateFiles)
        // The reports are this tool's, not the system's: the next run must not count them.
        options.ownOutputs = outputs.compactMap { output in
            if case let .file(url) = output.destination { url.standardizedFileURL.path } else { nil }
        }
        options.reportFolders = [URL(fileURLWithPath: outputDirectory ?? ".").standardizedFileURL.path]
            + options.ownOutputs.map { ($0 as NSString).deletingLastPathComponent }
        return Resolved(root: root, options: options, outputs: outputs, namesOneFile: output != nil)
    }

    /// `path` relative to the analysed folder `root` when it lies inside it (as reports
    /// name every file of the tree), else as given.
    static func displayPath(_ path: String, root: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : path
    }

    private func settings<T>(_ read: () throws(SettingsError) -> T) throws(RequestError) -> T {
        do { return try read() } catch { throw RequestError(error.description) }
    }

    /// `formats`, else the project file's `formats`, else md; an unknown name from the
    /// file is reported with its line there.
    func resolveFormats(project: ProjectConfig?) throws(RequestError) -> [EmitterRegistry.Entry] {
        let available = emitters ?? EmitterRegistry.all
        // The format an --output file's extension names (plan.html → html), if any.
        let implied = output.flatMap { output -> EmitterRegistry.Entry? in
            let ext = (output as NSString).pathExtension.lowercased()
            guard output != "-", !ext.isEmpty else { return nil }
            return available.first { $0.fileExtension == ext }
        }
        if let implied, !formats.isEmpty {
            let asked = formats.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if asked.count == 1, let entry = EmitterRegistry.entry(named: asked[0], in: available),
                entry.identifier != implied.identifier
            {
                throw RequestError(
                    "--format \(asked[0]) does not match --output \(output ?? ""), which names a .\(implied.fileExtension) file; change one of them")
            }
        }
        let fromFile = formats.isEmpty && implied == nil ? project : nil
        let given = formats.isEmpty ? (implied.map { [$0.identifier] } ?? fromFile?.formats ?? []) : formats
        let names = given.flatMap { item in
            item.split(separator: ",").map { (name: $0.trimmingCharacters(in: .whitespaces), item: item) }
        }.filter { !$0.name.isEmpty }
        var entries: [EmitterRegistry.Entry] = []
        for (name, item) in names.isEmpty ? [(name: "md", item: "md")] : names {
            guard let entry = EmitterRegistry.entry(named: name, in: available) else {
                let message = "unknown format '\(name)'\(Suggestion.hint(for: name, in: available.flatMap { [$0.identifier] + $0.aliases })); choose from \(EmitterRegistry.namesList(of: available))"
                throw RequestError(fromFile.map { $0.error(format: item, message).description } ?? message)
            }
            if !entries.contains(where: { $0.identifier == entry.identifier }) { entries.append(entry) }
        }
        return entries
    }

    /// The database settings, checked before any work. A refused URL is named with its password masked.
    private func resolveDatabase(environment: [String: String]) throws(RequestError) -> DatabaseOptions {
        if noDatabase, databaseURL != nil { throw RequestError("use either --database-url or --no-database, not both") }
        if noDatabase, connectDatabase { throw RequestError("use either --connect-database or --no-database, not both") }
        guard databaseTimeout.isFinite, databaseTimeout > 0, databaseTimeout <= 86_400 else {
            throw RequestError("--database-timeout takes a number of seconds above 0 and at most 86400")
        }
        let names = allowEnvironment.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            let shown = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
            throw RequestError("--allow-env takes environment variable names (letters, digits, _), not '\(shown)'")
        }
        let fromEnvironment = environment["COORD_MIGRATE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let url = noDatabase ? nil : (databaseURL ?? fromEnvironment)
        if let url {
            do {
                try DatabaseOptions.validate(url: url)
            } catch {
                throw RequestError("\(databaseURL != nil ? "--database-url" : "COORD_MIGRATE_DATABASE_URL"): \(error.description)")
            }
        }
        var options = DatabaseOptions(
            enabled: !noDatabase, url: url, allowTreeConnection: connectDatabase, expandableVariables: Set(names),
            environment: environment)
        options.deadline = databaseTimeout
        return options
    }

    /// A user's template (`flag`: the option that named it), at most ``InputFile/settingsLimit`` bytes of UTF-8.
    package static func template(_ file: String, flag: String) throws(RequestError) -> String {
        do {
            return try InputFile.readText(file, limit: InputFile.settingsLimit)
        } catch {
            throw RequestError(
                "cannot read the template \(file): \(error.reason); pass a readable UTF-8 Mustache file of at most "
                    + "\(InputFile.settingsLimit >> 20) MiB to \(flag)")
        }
    }
}

/// Why a request cannot be carried out, in one line that says what to do.
public struct RequestError: Error, CustomStringConvertible, Sendable {
    /// The message, in one line.
    public var description: String
    /// The library's error behind this one, when there is one (an ``AnalysisError``,
    /// a ``ReportWriter/OutputError``): a front end can say it in its own terms.
    public var underlying: (any Error & Sendable)?
    /// An error with this message.
    public init(_ description: String) { self.description = description }
    /// `error`, with its description as the message.
    public init(_ error: some Error & Sendable & CustomStringConvertible) {
        description = error.description
        underlying = error
    }
}

/// The report time: `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
///
/// Only times from 1970 to 9999 are accepted: earlier ones are not a report's time,
/// and later ones have no four-digit year to write.
package enum ReportClock {
    /// 1970-01-01T00:00:00Z up to (not including) 10000-01-01T00:00:00Z.
    package static let accepted: Range<TimeInterval> = 0..<(Timestamp.latest + 1)
    static let acceptedText = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

    /// The fixed time, or nil for the clock.
    package static func resolve(now: String?, environment: [String: String]) throws(RequestError) -> Date? {
        if let now {
            guard let date = parse(now) else {
                throw RequestError("--now '\(now)' is not an ISO 8601 time; write it like 2026-11-25T08:00:00Z")
            }
            guard accepted.contains(date.timeIntervalSince1970) else {
                throw RequestError("--now '\(now)' is outside the years 1970 to 9999; write a time from \(acceptedText)")
            }
            return date
        }
        if let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            let digits = epoch.first == "-" || epoch.first == "+" ? epoch.dropFirst() : Substring(epoch)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw RequestError("SOURCE_DATE_EPOCH '\(epoch)' is not a number of seconds since 1970; write one like 1795593600")
            }
            guard let seconds = Int(epoch), accepted.contains(TimeInterval(seconds)) else {
                throw RequestError(
                    "SOURCE_DATE_EPOCH '\(epoch)' is outside the years 1970 to 9999; use 0 to 253402300799 (\(acceptedText))")
            }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return nil
    }

    /// An ISO 8601 time with or without fractional seconds, or a full date.
    package static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
