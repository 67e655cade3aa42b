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
    /// Where ``run(formats:outputDirectory:)`` writes the report when it writes one format
    /// and no folder is named.
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

    /// Analyses the folder and writes the report in each of `formats`: one format to
    /// ``output``, or each format into `outputDirectory` as `migration-plan.<ext>`
    /// (created when missing). The files are written all or nothing.
    ///
    /// - Parameters:
    ///   - formats: format names as ``EmitterRegistry`` knows them: the built-ins
    ///     (`md`, `html`, `junit`, `json`, `sarif`, `github`) and any format registered
    ///     with ``EmitterRegistry/register(_:)``.
    ///   - outputDirectory: the folder for the reports; nil writes the one format to ``output``.
    /// - Returns: where each report went.
    /// - Throws: ``RequestError`` for an unknown format, several formats without a folder,
    ///   or a place that cannot be written; ``AnalysisError`` when the folder cannot be analysed.
    @discardableResult
    public func run(formats: [String] = ["md"], outputDirectory: String? = nil) throws -> [ReportWriter.Destination] {
        var entries: [EmitterRegistry.Entry] = []
        for name in formats {
            guard let entry = EmitterRegistry.entry(named: name) else {
                let names = EmitterRegistry.all.flatMap { [$0.identifier] + $0.aliases }
                throw RequestError(
                    "unknown format '\(name)'\(Suggestion.hint(for: name, in: names)); choose from \(EmitterRegistry.namesList)")
            }
            if !entries.contains(where: { $0.identifier == entry.identifier }) { entries.append(entry) }
        }
        let outputs = try ReportWriter.destinations(
            for: entries, output: outputDirectory == nil ? (output as NSString).expandingTildeInPath : nil,
            outputDirectory: outputDirectory.map { ($0 as NSString).expandingTildeInPath }, templates: [:])
        // The reports are this tool's, not the system's: an analysis of a folder that holds them does not count them.
        let saved = options
        defer { options = saved }
        options.ownOutputs += outputs.compactMap { output in
            if case let .file(url) = output.destination { url.standardizedFileURL.path } else { nil }
        }
        let report = try analyze()
        return try ReportWriter.write([report], to: outputs)
    }
}

extension MigrationAssistant {
    /// The absolute, standardised folder `path` names (`~` expanded), or why it cannot be analysed.
    package static func resolveRoot(_ path: String) throws(AnalysisError) -> String {
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
