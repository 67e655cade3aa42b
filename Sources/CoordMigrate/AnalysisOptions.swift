public import CoordMigrateModel
public import CoordMigrateScan
public import CoordMigrateDetect
public import CoordMigrateAnalysis
import CoordMigrateEmit
import CoordMigrateSettings
public import Foundation

/// Settings for one analysis.
public struct AnalysisOptions: Sendable {
    /// The report time. Message ages are measured against it and it is written
    /// as "generated at". Fixing it (with `--now` or `SOURCE_DATE_EPOCH`) makes
    /// every output byte-identical from run to run.
    public var now: Date
    /// True when `now` was fixed by the user: measured durations are then written as 0.
    public var isClockFixed: Bool
    /// How the tree is walked: excludes, limits, threads.
    public var scan: ScanOptions
    /// The host platform to report; the original tool reports the machine it runs on.
    public var platform: String
    /// CI conditions checked against the result (`--fail-on`).
    public var gates: [GateCondition] = []
    /// Declarative house rules, evaluated in the same walk.
    public var rules: [CustomRule] = []
    /// Built-in patterns not to check, with the reason.
    public var skippedPatterns: [PatternID: String] = [:]
    /// Custom findings (the ids of your detectors' findings and of house rules) not to
    /// check, with the reason.
    public var skippedFindings: [String: String] = [:]
    /// Skips with an owner, an expiry date and where they were declared (the project
    /// file's `skip_patterns`, `--skip-pattern`). One whose `expires` date has come at
    /// ``now`` is not applied: the pattern is checked, the report warns, and the
    /// `expired-skips` gate fails. The report lists every skip, from here, from
    /// ``skippedPatterns`` and from ``skippedFindings``.
    public var skips: [PatternSkip] = []
    /// The numbers behind the score and the plan (the original tool's by default).
    public var policy: ScoringPolicy = .seed
    /// Where a non-default policy came from, for the report.
    public var policySource: String?
    /// When the root shows no coordination system but a folder a few levels down
    /// does, analyse that folder instead (the report says so). On by default.
    public var discover = true
    /// Detectors that run in every analysis with these options, made fresh for each
    /// folder analysed, after those in ``DetectorRegistry`` (the process-wide
    /// convenience the command line uses). Passing them here keeps analyses
    /// independent of each other, so they can run side by side.
    public var detectors: [DetectorRegistry.Factory] = []
    /// Whether the detectors in ``DetectorRegistry`` run too (on by default).
    public var usesDetectorRegistry = true
    /// Whether and how the system's database is measured (read-only): the
    /// configuration's `database:`, `--database-url`, `--no-database`.
    public var database = DatabaseOptions()
    /// The files this run writes (absolute paths): when they lie inside the analysed
    /// folder they are not part of the system, so the next run does not see them either.
    public var ownOutputs: [String] = []
    /// Folders (absolute) whose files with this tool's default report names
    /// (`migration-plan.<ext>`, `migration-plan.<system>.<ext>`, and the writer's
    /// `.migration-plan.*` temporary files) are not part of the system. The analysed
    /// folder itself is always one.
    public var reportFolders: [String] = []

    /// Options with the defaults; `now` nil means the clock (and durations are measured).
    public init(now: Date? = nil, scan: ScanOptions = ScanOptions(), platform: String = DetectionContext.hostPlatform) {
        self.now = now ?? Date()
        self.isClockFixed = now != nil
        self.scan = scan
        self.platform = platform
    }
}

extension AnalysisOptions {
    /// These options with a project file's settings, as the command line applies
    /// them when no flag replaces them: its `exclude` globs are walked past besides
    /// the ones already set, and its `fail_on` gates, `rules`, `policy` and
    /// `skip_patterns` replace these options' value for each setting the file has.
    /// Its `formats` are for writing, not analysing (see ``MigrationAssistant/run(formats:outputDirectory:)``).
    ///
    /// ```swift
    /// let root = "/srv/agent-bridge"
    /// var options = AnalysisOptions()
    /// if let config = try ProjectConfig.load(inFolder: root) { options.apply(config, analysedFolder: root) }
    /// ```
    ///
    /// - Parameter root: the analysed folder: a skip declared in a file inside it names
    ///   that file relative to it, as every path in the report is.
    public func applying(_ config: ProjectConfig, analysedFolder root: String? = nil) -> AnalysisOptions {
        var options = self
        options.apply(config, analysedFolder: root)
        return options
    }

    /// Applies a project file's settings to these options; see ``applying(_:analysedFolder:)``.
    public mutating func apply(_ config: ProjectConfig, analysedFolder root: String? = nil) {
        scan.excludes += config.excludes ?? []
        if let gates = config.failOn { self.gates = gates }
        if !config.rules.isEmpty { rules = config.rules }
        if let policy = config.policy {
            self.policy = policy
            policySource = config.path
        }
        if !config.skips.isEmpty {
            skips = config.skips.map { skip in
                var skip = skip
                if let root { skip.source = AnalysisRequest.displayPath(skip.source, root: root) }
                return skip
            }
        }
    }
}

/// Why an analysis could not run.
public enum AnalysisError: Error, CustomStringConvertible, Sendable {
    case pathNotFound(String)
    case notADirectory(String)
    case unreadable(String, reason: String)
    /// The path was the empty string (which would otherwise mean the working folder).
    case emptyPath
    /// Two custom findings (from detectors or house rules) have this id: the same
    /// detector registered twice, or two detectors or rules that share an id.
    case duplicateFinding(String)

    /// The error in one line, with what to do.
    public var description: String {
        switch self {
        case let .pathNotFound(path):
            "no such directory: \(path) (name the folder that holds the system)"
        case let .notADirectory(path):
            "not a directory: \(path) (name the folder that holds the system, not a file in it)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason) (check the folder's permissions)"
        case .emptyPath:
            "the path is empty; name the folder that holds the system (\".\" for the working folder)"
        case let .duplicateFinding(id):
            "two custom findings have the id '\(id)': register each detector once (DetectorRegistry, AnalysisOptions.detectors or MigrationAssistant.register), and give each detector and house rule its own id"
        }
    }
}
