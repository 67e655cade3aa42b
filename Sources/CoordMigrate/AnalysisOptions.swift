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
    /// Pattern ids (built-in or custom) not to check, with the reason.
    public var skippedPatterns: [String: String] = [:]
    /// Skips with an owner, an expiry date and where they were declared (the project
    /// file's `skip_patterns`, `--skip-pattern`). One whose `expires` date has come at
    /// ``now`` is not applied: the pattern is checked, the report warns, and the
    /// `expired-skips` gate fails. The report lists every skip, from here and from
    /// ``skippedPatterns``.
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
            "no such directory: \(path) (pass the folder that holds the system with --path DIR)"
        case let .notADirectory(path):
            "not a directory: \(path) (--path takes the folder that holds the system, not a file in it)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason) (check the folder's permissions)"
        case .emptyPath:
            "the path is empty; pass the folder that holds the system with --path DIR (--path . for this folder)"
        case let .duplicateFinding(id):
            "two custom findings have the id '\(id)': register each detector once (DetectorRegistry, AnalysisOptions.detectors or MigrationAssistant.register), and give each detector and house rule its own id"
        }
    }
}
