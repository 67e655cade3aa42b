import ArgumentParser
import CoordMigrate
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a folder and write the migration plan (the default command).")

    @Option(name: .long, help: ArgumentHelp("The folder that holds the system.", valueName: "DIR"))
    var path = "."

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: \(EmitterRegistry.namesList). Repeat or separate with commas for several.",
            valueName: "FORMAT"))
    var format: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The report file, or - for stdout (default: migration-plan.<ext>). One format only.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("The folder for the reports when several formats are written (default: .).", valueName: "DIR"))
    var outputDir: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template to use instead of the built-in Markdown template.", valueName: "FILE"))
    var template: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template to use instead of the built-in HTML template.", valueName: "FILE"))
    var htmlTemplate: String?

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Exit 1 when the condition holds (repeatable): \(GateCondition.grammar). Reports are still written.",
            valueName: "COND"))
    var failOn: [String] = []

    @Option(name: .long, help: ArgumentHelp("Declarative house rules (YAML); see README \"Customising\".", valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("Override scoring weights, thresholds, hours and step durations (YAML).", valueName: "FILE"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("Project settings file (default: .coord-migrate.yaml at the analysed root, if present).", valueName: "FILE"))
    var config: String?

    @Option(name: .customLong("skip-pattern"), help: ArgumentHelp("Do not check this pattern or rule: no gap, no step (repeatable).", valueName: "ID"))
    var skipPatterns: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip entries whose name or path matches GLOB (repeatable).", valueName: "GLOB"))
    var excludes: [String] = []

    @Flag(name: .long, help: "Do not skip .git, node_modules and .build.")
    var noDefaultExcludes = false

    @Option(name: .long, help: ArgumentHelp("Fix the report time (ISO 8601) for reproducible output; SOURCE_DATE_EPOCH works too.", valueName: "ISO8601"))
    var now: String?

    @Flag(name: .long, help: ArgumentHelp("Walk and detect on one thread (for benchmarks).", visibility: .hidden))
    var serialWalk = false

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "Measure this database (read-only) instead of the one the agent configuration declares: sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME. COORD_MIGRATE_DATABASE_URL works too; leave the password to PGPASSWORD or ~/.pgpass.",
            valueName: "URL"))
    var databaseURL: String?

    @Flag(name: .customLong("no-database"), help: "Never connect to a database, even when the agent configuration declares one.")
    var noDatabase = false

    @Flag(
        name: .customLong("connect-database"),
        help: "Connect to the PostgreSQL server the analysed folder's agent configuration names (read-only). Without it, nothing in the folder opens a network connection.")
    var connectDatabase = false

    @Option(
        name: .customLong("allow-env"),
        help: ArgumentHelp(
            "Let ${NAME} in the analysed folder's database settings read this environment variable (repeatable, or comma-separated). Without it, the folder reads none.",
            valueName: "NAME"))
    var allowEnv: [String] = []

    @Option(
        name: .customLong("database-timeout"),
        help: ArgumentHelp("Seconds the whole database measurement may take, whatever the server does.", valueName: "SECONDS"))
    var databaseTimeout: Double = 30

    @Flag(
        name: .long,
        help: "When the folder itself is no system but folders below it are, analyse each of them (one report per system in --output-dir).")
    var discover = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .long, help: "Never colour the terminal output (NO_COLOR is honoured too).")
    var noColor = false

    func run() throws {
        // Everything that can be refused is checked before the first panel is printed,
        // so a usage error is one line on stderr.
        let root: String
        do {
            root = try MigrationAssistant.resolveRoot(path)
        } catch {
            throw UsageError(error.description)
        }
        let project = try loadProjectConfig(root: root)
        let formats = try resolveFormats(project: project)
        let destinations = try resolveDestinations(formats)
        if destinations.contains(where: { if case .standardOutput = $0 { true } else { false } }) {
            try checkStandardOutput(what: "the report")
        }
        let clock = try ReportClock.resolve(now: now, environment: ProcessInfo.processInfo.environment)
        let database = try resolveDatabase(environment: ProcessInfo.processInfo.environment)
        let templates = [
            "md": try template.map { try readTemplate($0, flag: "--template") },
            "html": try htmlTemplate.map { try readTemplate($0, flag: "--html-template") },
        ]

        // Flags replace the project file's value for the same setting.
        let extraExcludes = excludes.isEmpty ? (project?.excludes ?? []) : excludes
        var scan = ScanOptions(excludes: (noDefaultExcludes ? [] : ScanOptions.defaultExcludes) + extraExcludes)
        scan.maxWarnings = 100
        scan.concurrent = !serialWalk
        var options = AnalysisOptions(now: clock, scan: scan)
        options.database = database
        if failOn.isEmpty, let gates = project?.failOn {
            options.gates = gates
        } else {
            options.gates = try failOn.map { text in
                do { return try GateCondition(parsing: text) } catch let error as GateCondition.ParseError {
                    throw UsageError(error.description)
                }
            }
        }
        options.rules = try rules.map(Self.loadRules) ?? project?.rules ?? []
        if let policy {
            options.policy = try Self.loadPolicy(policy)
            options.policySource = policy
        } else if let projectPolicy = project?.policy {
            options.policy = projectPolicy
            options.policySource = project?.path
        }
        options.skippedPatterns = skipPatterns.isEmpty
            ? (project?.skippedPatterns ?? [:])
            : Dictionary(skipPatterns.map { ($0, "skipped with --skip-pattern") }, uniquingKeysWith: { first, _ in first })
        let knownIDs = Set(PatternID.allCases.map(\.rawValue) + options.rules.map(\.id))
        let skipsFromFile = skipPatterns.isEmpty ? project : nil
        for id in options.skippedPatterns.keys.sorted() where !knownIDs.contains(id) {
            let message = "cannot skip '\(id)': not a pattern or rule id (patterns: \(PatternID.allCases.map(\.rawValue).joined(separator: ", ")))"
            throw UsageError(skipsFromFile.map { $0.error(skipping: id, message).description } ?? message)
        }
        var emitters: [(any ReportEmitter, Destination)] = []
        for (entry, destination) in zip(formats, destinations) {
            do {
                emitters.append((try entry.make(templates[entry.identifier] ?? nil), destination))
            } catch {
                throw UsageError("\(entry.identifier): \(error)")
            }
        }
        let terminal = Terminal.standardError
        terminal.colorEnabled = terminal.colorEnabled && !noColor
        let ui = quiet ? nil : PanelPrinter(terminal: terminal)

        ui?.banner()
        ui?.section("Detecting Existing System")
        let assistant = MigrationAssistant(path: path, options: options)
        let reports: [MigrationReport]
        do {
            let meter = ui != nil && terminal.isTerminal ? ProgressLine(terminal: terminal) : nil
            defer { meter?.clear() }
            let update = meter.map { meter in { (progress: ScanProgress) in meter.update(progress) } }
            reports = discover ? try assistant.analyzeEach(progress: update) : [try assistant.analyze(progress: update)]
        } catch let error as AnalysisError {
            throw UsageError(error.description)
        }
        let report = reports[0]
        if reports.count > 1, emitters.contains(where: { if case .standardOutput = $0.1 { true } else { false } }) || output != nil {
            throw UsageError(
                "--discover found \(reports.count) systems; write their reports with --output-dir DIR, not --output")
        }
        for (index, report) in reports.enumerated() {
            if reports.count > 1 {
                ui?.section("System \(index + 1) of \(reports.count): \(Terminal.sanitize(report.detection.discovery?.chosen ?? "."))")
            }
            ui?.detection(report)
            ui?.section("Analyzing Migration Complexity")
            ui?.complexity(report)
        }
        ui?.section("Generating Migration Plan")

        // Render everything first, so a failing emitter leaves every file untouched.
        // With --discover and several systems, each gets its own files:
        // migration-plan.<folder>.<ext>.
        var rendered: [(Destination, Data)] = []
        let slugs = reports.count > 1 ? SystemSlug.unique(reports.map { $0.detection.discovery?.chosen ?? "." }) : []
        for (index, report) in reports.enumerated() {
            for (emitter, destination) in emitters {
                var target = destination
                if reports.count > 1, case let .file(url) = destination {
                    let name = url.deletingPathExtension().lastPathComponent + "." + slugs[index] + "." + url.pathExtension
                    target = .file(url.deletingLastPathComponent().appendingPathComponent(name))
                }
                do {
                    rendered.append((target, try emitter.emit(report)))
                } catch {
                    throw UsageError("\(type(of: emitter).identifier): \(error)")
                }
            }
        }
        // Files first, all or none; then stdout.
        do {
            try AtomicFile.writeAll(rendered.compactMap { destination, data in
                if case let .file(url) = destination { (data, url) } else { nil }
            })
        } catch {
            throw UsageError("\(error)")
        }
        for case (.standardOutput, let data) in rendered {
            try writeStandardOutput(data, what: "the report")
        }
        ui?.summary(report, written: rendered.map(\.0.displayName))
        let failed = reports.flatMap { $0.gates.filter(\.failed) }
        for gate in failed {
            Terminal.standardError.line(Terminal.standardError.style("✗ ", .red) + gate.message)
        }
        if !failed.isEmpty { throw ExitCode(ExitStatus.gateFailed) }
    }

    /// `--database-url` (or COORD_MIGRATE_DATABASE_URL) and `--no-database`, checked before any work.
    /// A refused URL is named with its password masked.
    private func resolveDatabase(environment: [String: String]) throws -> DatabaseOptions {
        if noDatabase, databaseURL != nil {
            throw UsageError("use either --database-url or --no-database, not both")
        }
        if noDatabase, connectDatabase {
            throw UsageError("use either --connect-database or --no-database, not both")
        }
        guard databaseTimeout.isFinite, databaseTimeout > 0, databaseTimeout <= 86_400 else {
            throw UsageError("--database-timeout takes a number of seconds above 0 and at most 86400")
        }
        let names = allowEnv.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw UsageError("--allow-env takes environment variable names (letters, digits, _), not '\(Terminal.sanitize(name))'")
        }
        let fromEnvironment = environment["COORD_MIGRATE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let url = noDatabase ? nil : (databaseURL ?? fromEnvironment)
        if let url {
            do {
                try DatabaseOptions.validate(url: url)
            } catch {
                throw UsageError("\(databaseURL != nil ? "--database-url" : "COORD_MIGRATE_DATABASE_URL"): \(error.description)")
            }
        }
        var options = DatabaseOptions(
            enabled: !noDatabase, url: url, allowTreeConnection: connectDatabase, expandableVariables: Set(names),
            environment: environment)
        options.deadline = databaseTimeout
        return options
    }

    private static func loadRules(_ file: String) throws -> [CustomRule] {
        do { return try CustomRule.load(file) } catch { throw UsageError(error.description) }
    }

    private static func loadPolicy(_ file: String) throws -> ScoringPolicy {
        do { return try ScoringPolicy.load(file) } catch { throw UsageError(error.description) }
    }

    private func loadProjectConfig(root: String) throws -> ProjectConfig? {
        do {
            if let config { return try ProjectConfig.load(config) }
            return try ProjectConfig.load(inFolder: root)
        } catch {
            throw UsageError(error.description)
        }
    }

    /// `--format`, else the project file's `formats`, else md; an unknown name from the
    /// file is reported with its line there.
    private func resolveFormats(project: ProjectConfig?) throws -> [EmitterRegistry.Entry] {
        let fromFile = format.isEmpty ? project : nil
        let given = fromFile?.formats ?? format
        let names = given.flatMap { item in
            item.split(separator: ",").map { (name: $0.trimmingCharacters(in: .whitespaces), item: item) }
        }.filter { !$0.name.isEmpty }
        var entries: [EmitterRegistry.Entry] = []
        for (name, item) in names.isEmpty ? [(name: "md", item: "md")] : names {
            guard let entry = EmitterRegistry.entry(named: name) else {
                let message = "unknown format '\(name)'; choose from \(EmitterRegistry.namesList)"
                throw UsageError(fromFile.map { $0.error(format: item, message).description } ?? message)
            }
            if !entries.contains(where: { $0.identifier == entry.identifier }) { entries.append(entry) }
        }
        return entries
    }

    private func resolveDestinations(_ formats: [EmitterRegistry.Entry]) throws -> [Destination] {
        if let output {
            guard formats.count == 1 else {
                throw UsageError("--output names one file but \(formats.count) formats were asked for; use --output-dir DIR")
            }
            if outputDir != nil { throw UsageError("use either --output or --output-dir, not both") }
            if output == "-" { return [.standardOutput] }
            let url = URL(fileURLWithPath: output)
            try Self.checkWritable(url)
            return [.file(url)]
        }
        let folder = URL(fileURLWithPath: outputDir ?? ".")
        if let outputDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: outputDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError("--output-dir \(outputDir) is not an existing folder; create it first")
            }
        }
        let urls = formats.map { folder.appendingPathComponent("migration-plan.\($0.fileExtension)") }
        for url in urls { try Self.checkWritable(url) }
        return urls.map { .file($0) }
    }

    /// Refuses, before any work, an output whose folder is missing or which is a folder.
    static func checkWritable(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("cannot write \(url.relativePath): the folder \(folder) does not exist; create it first")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UsageError("cannot write \(url.relativePath): it is a folder; name a file with --output")
        }
        // Permissions, read-only mounts, /proc: only trying tells (access() says yes to root).
        // A signal between creating and removing the probe would leave it behind.
        let signals = HeldSignals()
        defer { signals.release() }
        var probe = Array((folder + "/.coord-migrate-probe.XXXXXX").utf8CString)
        let descriptor = probe.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw UsageError(
                "cannot write \(url.relativePath): \(String(cString: strerror(errno))) in \(folder); choose a folder you can write to with --output or --output-dir")
        }
        close(descriptor)
        unlink(probe)
    }
}

enum Destination {
    case standardOutput
    case file(URL)

    var displayName: String {
        switch self {
        case .standardOutput: "stdout"
        case let .file(url): url.relativePath
        }
    }
}

/// The report time: `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
///
/// Only times from 1970 to 9999 are accepted: earlier ones are not a report's time,
/// and later ones have no four-digit year to write.
enum ReportClock {
    /// 1970-01-01T00:00:00Z up to (not including) 10000-01-01T00:00:00Z.
    static let accepted: Range<TimeInterval> = 0..<(Timestamp.latest + 1)
    static let acceptedText = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

    static func resolve(now: String?, environment: [String: String]) throws -> Date? {
        if let now {
            guard let date = parse(now) else {
                throw UsageError("--now '\(now)' is not an ISO 8601 time; write it like 2026-11-25T08:00:00Z")
            }
            guard accepted.contains(date.timeIntervalSince1970) else {
                throw UsageError("--now '\(now)' is outside the years 1970 to 9999; write a time from \(acceptedText)")
            }
            return date
        }
        if let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            let digits = epoch.first == "-" || epoch.first == "+" ? epoch.dropFirst() : Substring(epoch)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw UsageError("SOURCE_DATE_EPOCH '\(epoch)' is not a number of seconds since 1970; write one like 1795593600")
            }
            guard let seconds = Int(epoch), accepted.contains(TimeInterval(seconds)) else {
                throw UsageError(
                    "SOURCE_DATE_EPOCH '\(epoch)' is outside the years 1970 to 9999; use 0 to 253402300799 (\(acceptedText))")
            }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return nil
    }

    static func parse(_ text: String) -> Date? {
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
