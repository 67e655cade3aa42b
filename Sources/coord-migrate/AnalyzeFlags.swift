import ArgumentParser
import CoordMigrate

// The analyse command's flags, in groups; each group copies what it holds into
// the library's AnalysisRequest, which resolves it (flags > project file > defaults).

/// Which formats, and where the reports go.
struct OutputFlags: ParsableArguments {
    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Output format: \(EmitterRegistry.namesList). Repeat or separate with commas for several. Without it, --output's extension decides (.html, .xml, .json; else md).",
            valueName: "FORMAT"))
    var format: [String] = []

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "The report file, or - for stdout (default: migration-plan.<ext>). One format only.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("The folder for the reports when several formats are written (default: .).", valueName: "DIR"))
    var outputDir: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template to use instead of the built-in Markdown template (its keys: coord-migrate templates).", valueName: "FILE"))
    var template: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template to use instead of the built-in HTML template (its keys: coord-migrate templates).", valueName: "FILE"))
    var htmlTemplate: String?

    func apply(to request: inout AnalysisRequest) {
        request.formats = format
        request.output = output
        request.outputDirectory = outputDir
        request.markdownTemplate = template
        request.htmlTemplate = htmlTemplate
    }
}

/// Gates, house rules, scoring, project settings, skips, the walk and the clock.
struct SettingsFlags: ParsableArguments {
    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Exit 1 when the condition holds (repeatable): \(GateCondition.grammar). Reports are still written.",
            valueName: "COND"))
    var failOn: [String] = []

    @Option(name: .long, help: ArgumentHelp("Declarative house rules (YAML); see docs/customising.md.", valueName: "FILE"))
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

    func apply(to request: inout AnalysisRequest) {
        request.failOn = failOn
        request.rulesFile = rules
        request.policyFile = policy
        request.projectFile = config
        request.skipPatterns = skipPatterns
        request.excludes = excludes
        request.noDefaultExcludes = noDefaultExcludes
        request.now = now
        request.serialWalk = serialWalk
    }
}

/// The system's database: which one, and what the analysed folder may make the tool do.
struct DatabaseFlags: ParsableArguments {
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

    func apply(to request: inout AnalysisRequest) {
        request.databaseURL = databaseURL
        request.noDatabase = noDatabase
        request.connectDatabase = connectDatabase
        request.allowEnvironment = allowEnv
        request.databaseTimeout = databaseTimeout
    }
}
