public import CoordMigrateModel
public import CoordMigrateScan
public import CoordMigrateDetect
import CoordMigrateAnalysis
import CoordMigrateEmit
import CoordMigrateSettings
import Foundation

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
