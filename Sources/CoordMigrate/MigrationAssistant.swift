public import CoordMigrateModel
public import CoordMigrateScan
public import CoordMigrateDetect
public import CoordMigrateAnalysis
public import CoordMigrateEmit
public import CoordMigrateSettings
public import Foundation

/// Settings for one analysis.
public struct AnalysisOptions: Sendable {
    /// The report time. Message ages are measured against it and it is written
    /// as "generated at". Fixing it (with `--now` or `SOURCE_DATE_EPOCH`) makes
    /// every output byte-identical from run to run.
    public var now: Date
    /// True when `now` was fixed by the user: measured durations are then written as 0.
    public var isClockFixed: Bool
    /// What the walk skips and how deep it goes; by default `.git`, `node_modules` and
    /// `.build` are skipped.
    public var scan: ScanOptions
    /// The host platform to report; the original tool reports the machine it runs on.
    public var platform: String
    /// CI conditions checked against the result (`--fail-on`).
    public var gates: [GateCondition] = []
    /// Declarative house rules, evaluated in the same walk.
    public var rules: [CustomRule] = []
    /// Pattern ids (built-in or custom) not to check, with the reason.
    public var skippedPatterns: [String: String] = [:]
    /// The numbers behind the score and the plan (the original tool's by default).
    public var policy: ScoringPolicy = .seed
    /// Where a non-default policy came from, for the report.
    public var policySource: String?
    /// When the root shows no coordination system but a folder a few levels down
    /// does, analyse that folder instead (the report says so). On by default.
    public var discover = true
    /// Whether and how the system's database is measured (read-only): the
    /// configuration's `database:`, `--database-url`, `--no-database`.
    public var database = DatabaseOptions()

    /// Creates options for one analysis. Passing `now` fixes the clock (``isClockFixed``),
    /// so the output is the same from run to run; nil takes the current time.
    public init(now: Date? = nil, scan: ScanOptions = ScanOptions(), platform: String = DetectionContext.hostPlatform) {
        self.now = now ?? Date()
        self.isClockFixed = now != nil
        self.scan = scan
        self.platform = platform
    }
}

/// Why an analysis could not run.
public enum AnalysisError: Error, CustomStringConvertible, Sendable {
    /// Nothing exists at the path, given as it was passed.
    case pathNotFound(String)
    /// The path names something other than a folder, such as a file.
    case notADirectory(String)
    /// The folder (absolute) could not be opened for the walk; `reason` is the system's.
    case unreadable(String, reason: String)
    /// The path was the empty string (which would otherwise mean the working folder).
    case emptyPath

    /// One line saying what is wrong and what to pass instead (it names the command
    /// line's `--path`).
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
        }
    }
}

/// The whole pipeline behind one call: scan → detect → analyse → plan → report.
///
/// ```swift
/// let assistant = MigrationAssistant(path: "~/my-project", output: "custom-report.md")
/// try assistant.run()
/// print(assistant.complexityResult!.estimatedHours)
/// ```
public final class MigrationAssistant {
    /// The folder to analyse, as given (`~` is expanded).
    public let path: String
    /// Where ``run()`` writes the Markdown plan.
    public var output: String
    /// The settings used by the next ``analyze(progress:)``, ``analyzeEach(progress:)``
    /// or ``run()``.
    public var options: AnalysisOptions

    /// What the detectors found in the last analysis; nil before the first.
    public private(set) var detectionResult: DetectionResult?
    /// The last analysis's score: complexity, hours and risk; nil before the first.
    public private(set) var complexityResult: ComplexityResult?
    /// The last analysis's migration plan; nil before the first.
    public private(set) var migrationPlan: MigrationPlan?
    /// The last analysis's whole report (after ``analyzeEach(progress:)``, the first of
    /// them); nil before the first.
    public private(set) var report: MigrationReport?

    private var detectors: [any Detector] = []

    /// Creates an assistant for the folder `path` that writes its Markdown plan to `output`.
    /// Nothing is read or checked until ``analyze(progress:)`` or ``run()``.
    public init(path: String = ".", output: String = "migration-plan.md", options: AnalysisOptions = AnalysisOptions()) {
        self.path = path
        self.output = output
        self.options = options
    }

    /// Adds a detector to this assistant's analyses, after the built-ins and
    /// those in ``DetectorRegistry``.
    public func register(_ detector: any Detector) {
        detectors.append(detector)
    }

    /// Analyses the folder and keeps the results.
    @discardableResult
    public func analyze(progress: ((ScanProgress) -> Void)? = nil) throws -> MigrationReport {
        let report = try Analysis.run(
            path: path, options: options, extraDetectors: detectors, progress: progress)
        self.report = report
        detectionResult = report.detection
        complexityResult = report.complexity
        migrationPlan = report.plan
        return report
    }

    /// Analyses every coordination system found below the folder when the folder
    /// itself shows none (a monorepo holding `bridge/inbox/…` and `ops/mailboxes/…`):
    /// one report per candidate, strongest first. When the folder itself is a
    /// system, or nothing is found below it, the one report of the folder.
    public func analyzeEach(progress: ((ScanProgress) -> Void)? = nil) throws -> [MigrationReport] {
        let reports = try Analysis.run(
            path: path, options: options, extraDetectors: detectors, progress: progress, every: true)
        if let first = reports.first {
            report = first
            detectionResult = first.detection
            complexityResult = first.complexity
            migrationPlan = first.plan
        }
        return reports
    }

    /// Analyses the folder and writes the Markdown plan to ``output``.
    public func run() throws {
        let report = try analyze()
        let data = try MarkdownEmitter().emit(report)
        try AtomicFile.write(data, to: URL(fileURLWithPath: (output as NSString).expandingTildeInPath))
    }
}

extension MigrationAssistant {
    /// The absolute, standardised folder `path` names (`~` expanded), or why it cannot be analysed.
    public static func resolveRoot(_ path: String) throws(AnalysisError) -> String {
        guard !path.isEmpty else { throw AnalysisError.emptyPath }
        let expanded = (path as NSString).expandingTildeInPath
        let root = URL(fileURLWithPath: expanded).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw AnalysisError.pathNotFound(path)
        }
        guard isDirectory.boolValue else { throw AnalysisError.notADirectory(path) }
        return root
    }
}

enum Analysis {
    static func run(
        path: String, options: AnalysisOptions, extraDetectors: [any Detector], progress: ((ScanProgress) -> Void)?
    ) throws -> MigrationReport {
        try run(path: path, options: options, extraDetectors: extraDetectors, progress: progress, every: false)[0]
    }

    /// The root's report, or — when the root shows no system but folders below it
    /// do — the strongest candidate's report (`every`: one report per candidate).
    static func run(
        path: String, options: AnalysisOptions, extraDetectors: [any Detector], progress: ((ScanProgress) -> Void)?,
        every: Bool
    ) throws -> [MigrationReport] {
        let root = try MigrationAssistant.resolveRoot(path)
        let report = try analyse(
            root: root, options: options, extraDetectors: extraDetectors, progress: progress, parentScripts: nil)
        let candidates = report.discoveryCandidates
        // "No markers" means nothing on disk or in config at the root; a script that
        // writes into bridge/inbox/… is the nested system's evidence, not the root's.
        let infrastructure: Set<String> = ["message-system", "event-log", "inbox-structure", "agent-config"]
        let rootMarkers = report.report.detection.evidence.contains { infrastructure.contains($0.subject) && $0.kind != .code }
        guard options.discover, !rootMarkers, !candidates.isEmpty else {
            return [report.report]
        }
        let chosen = every ? candidates : [candidates[0]]
        return try chosen.map { candidate in
            var result = try analyseNested(
                root: root, candidate: candidate, options: options, extraDetectors: extraDetectors, progress: progress)
            let others = candidates.filter { $0 != candidate }.map(\.path)
            let why = every
                ? "one of \(candidates.count) candidates, analysed with --discover"
                : "the strongest"
            result.detection.discovery = Discovery(
                requestedPath: root, chosen: candidate.path,
                reason: "\(root) itself has no message system, event log, inboxes or agent configuration; \(candidate.path) has \(candidate.markers.joined(separator: ", ")) (strength \(candidate.strength), \(why))"
                    + (others.isEmpty ? "" : "; other candidates: \(others.joined(separator: ", "))"),
                candidates: candidates)
            return result
        }
    }

    /// Analyses a folder below the root, with the root's scripts/ (which often
    /// drive a nested system) read as its code evidence.
    static func analyseNested(
        root: String, candidate: DiscoveryCandidate, options: AnalysisOptions, extraDetectors: [any Detector],
        progress: ((ScanProgress) -> Void)?
    ) throws -> MigrationReport {
        let nested = root + "/" + String(candidate.path.dropLast())
        let up = Array(repeating: "..", count: candidate.path.split(separator: "/").count).joined(separator: "/")
        var scripts: (path: String, prefix: String)?
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/scripts", isDirectory: &isDirectory), isDirectory.boolValue {
            scripts = (root + "/scripts", up + "/scripts")
        }
        return try analyse(
            root: nested, options: options, extraDetectors: extraDetectors, progress: progress, parentScripts: scripts
        ).report
    }

    /// One analysis of one root: a walk feeding every detector, then scoring and planning.
    static func analyse(
        root: String, options: AnalysisOptions, extraDetectors: [any Detector], progress: ((ScanProgress) -> Void)?,
        parentScripts: (path: String, prefix: String)?
    ) throws -> (report: MigrationReport, discoveryCandidates: [DiscoveryCandidate]) {
        let context = DetectionContext(root: root, now: options.now, platform: options.platform)
        context.policy = options.policy
        context.skippedPatterns = options.skippedPatterns
        let rules: [any Detector] = options.rules.isEmpty ? [] : [RuleDetector(rules: options.rules)]
        let detectors = DetectorRegistry.makeDetectors() + rules + extraDetectors
        var summary: ScanSummary
        do {
            summary = try Scanner(options: options.scan).walk(root: root, progress: progress) { entry in
                for detector in detectors { detector.visit(entry, context: context) }
            }
            if let parentScripts {
                let extra = try Scanner(options: options.scan).walk(root: parentScripts.path, prefix: parentScripts.prefix) { entry in
                    for detector in detectors { detector.visit(entry, context: context) }
                }
                summary.files += extra.files
                summary.directories += extra.directories
                summary.skipped += extra.skipped
                summary.elapsed += extra.elapsed
                summary.warnings += extra.warnings
            }
        } catch {
            throw AnalysisError.unreadable(root, reason: error.reason)
        }
        // After the walk (the configuration has been read) and before the detectors
        // finish (they use the measurement): the database, read-only.
        DatabaseStep.run(options.database, context: context)
        for detector in detectors { detector.finish(context: context) }

        let detection = context.result(scanWarnings: summary.warnings)
        let complexity = Analyzer.analyze(detection, policy: options.policy)
        let plan = Planner.plan(detection: detection, complexity: complexity, targetPath: root, policy: options.policy)
        let elapsed = summary.elapsed.components
        let elapsedMs = options.isClockFixed ? 0 : Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
        let report = MigrationReport(
            schemaVersion: MigrationReport.currentSchemaVersion,
            tool: .init(name: "coord-migrate", version: coordMigrateVersion),
            generatedAt: Timestamp.iso8601(options.now),
            targetPath: root,
            detection: detection,
            complexity: complexity,
            plan: plan,
            gates: options.gates.map { $0.evaluate(detection: detection, complexity: complexity) },
            policy: options.policy == .seed
                ? nil : MigrationReport.PolicySummary(source: options.policySource ?? "custom", changes: options.policy.changesFromSeed),
            scan: .init(files: summary.files, directories: summary.directories, skipped: summary.skipped, elapsedMs: elapsedMs))
        return (report, context.discoveryCandidates)
    }
}
