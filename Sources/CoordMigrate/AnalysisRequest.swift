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
                throw RequestError("--now '\(now)' is not an RFC 3339 time with its zone, nor a real date; write it like 2026-11-25T08:00:00Z or 2026-11-25")
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

    /// An RFC 3339 time — `2026-11-25T08:00:00Z`, with a fraction of a second (`08:00:00.5Z`) or an
    /// offset (`+02:00`, `+0200`, `-05`) — or a full date, `2026-11-25`, which is midnight UTC.
    /// `t`, `z` and a space between date and time are accepted, as RFC 3339 allows.
    ///
    /// Read here, not by `ISO8601DateFormatter`: that loads ICU (a tenth of a small run's
    /// instructions) and is lenient in ways a fixed clock must not be — it read `2025-02-30` as
    /// March 2, `…+25:00` as `+02`, `2025-11-25t08:00:00z` as midnight and ignored text after a
    /// time. Anything else, an impossible date or a leap second included, is nil.
    package static func parse(_ text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(4), reader.take(UInt8(ascii: "-")), let month = reader.number(2),
            reader.take(UInt8(ascii: "-")), let day = reader.number(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        if reader.atEnd { return Date(timeIntervalSince1970: TimeInterval(days * 86_400)) }
        guard reader.take(anyOf: [UInt8(ascii: "T"), UInt8(ascii: "t"), 0x20]), let hour = reader.number(2),
            reader.take(UInt8(ascii: ":")), let minute = reader.number(2), reader.take(UInt8(ascii: ":")),
            let second = reader.number(2), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if reader.take(UInt8(ascii: ".")) {
            var scale = 0.1
            var digits = 0
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset = 0
        if reader.take(anyOf: [UInt8(ascii: "Z"), UInt8(ascii: "z")]) {
            offset = 0
        } else if reader.take(anyOf: [UInt8(ascii: "+"), UInt8(ascii: "-")]) {
            let sign = reader.last
            guard let hours = reader.number(2), hours < 24 else { return nil }
            var minutes = 0
            if !reader.atEnd {
                _ = reader.take(UInt8(ascii: ":"))
                guard let value = reader.number(2), value < 60 else { return nil }
                minutes = value
            }
            offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    /// Days in `month` of `year`, Gregorian.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a Gregorian date (negative before it), counted in 400-year eras.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Reads fixed-width numbers and single bytes from the front of a text.
    private struct DigitReader {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var last: UInt8 { bytes[index - 1] }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            index += 1
            return Int(bytes[index - 1] - 0x30)
        }

        /// Exactly `width` digits.
        mutating func number(_ width: Int) -> Int? {
            var value = 0
            for _ in 0..<width {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func take(_ byte: UInt8) -> Bool { take(anyOf: [byte]) }

        mutating func take(anyOf choices: [UInt8]) -> Bool {
            guard index < bytes.count, choices.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
    }
}
