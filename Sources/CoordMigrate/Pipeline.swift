import CoordMigrateModel
import CoordMigrateScan
import CoordMigrateDetect
import CoordMigrateAnalysis
import CoordMigrateEmit
import CoordMigrateSettings
import Foundation

/// The pipeline in order: one walk feeding every detector, the database phase,
/// the detectors' findings, scoring, planning, the report.
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
        let infrastructure: Set<EvidenceSubject> = [.messageSystem, .eventLog, .inboxStructure, .agentConfig]
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
        // Skips are decided by the run's clock: an expired one is not applied.
        let skips = skipRecords(options)
        var applied = options.skippedFindings
        for (pattern, reason) in options.skippedPatterns { applied[pattern.rawValue] = reason }
        for skip in skips { applied[skip.id] = skip.expired ? nil : skip.reason }
        let context = DetectionContext(DetectionInputs(
            root: root, now: options.now, platform: options.platform, policy: options.policy,
            skippedPatterns: applied))
        // The built-in detectors run in typed phases; users' detectors and house rules
        // see every entry too, and finish after the built-ins through the context.
        let builtIns = BuiltInDetection()
        let rules: [any Detector] = options.rules.isEmpty ? [] : [RuleDetector(rules: options.rules)]
        let registered = options.usesDetectorRegistry ? DetectorRegistry.makeDetectors() : []
        let detectors = registered + options.detectors.map { $0() } + rules + extraDetectors
        var summary: ScanSummary
        let own = OwnOutputs(root: root, options: options)
        var ownFiles = 0
        var commands = CommandCollector()
        do {
            summary = try Scanner(options: options.scan).walk(root: root, progress: progress) { entry in
                if own.contains(entry) {
                    ownFiles += 1
                    return
                }
                commands.visit(entry)
                builtIns.visit(entry, context: context)
                for detector in detectors { detector.visit(entry, context: context) }
            }
            if let parentScripts {
                let extra = try Scanner(options: options.scan).walk(root: parentScripts.path, prefix: parentScripts.prefix) { entry in
                    builtIns.visit(entry, context: context)
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
        // This tool's own reports are neither the system's files nor skipped ones: the
        // report is the same whether or not an earlier run left them there.
        summary.files -= ownFiles
        // The phases after the walk: inventory, database, facts, patterns, custom, assembly.
        let outcome = builtIns.finish(
            database: options.database, context: context, custom: detectors, scanWarnings: summary.warnings)
        var detection = outcome.result
        // The same detector registered twice (say in DetectorRegistry and on the
        // assistant) would count its finding twice: one id, one finding.
        var seenIDs = Set<String>()
        for finding in detection.customPatterns where !seenIDs.insert(finding.id).inserted {
            throw AnalysisError.duplicateFinding(finding.id)
        }
        detection.warnings += skips.filter(\.expired).map(\.expiryWarning)
        let complexity = Analyzer.analyze(detection, policy: options.policy)
        let plan = Planner.plan(
            detection: detection, complexity: complexity, targetPath: root, policy: options.policy, commands: commands.result)
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
            gates: options.gates.map { $0.evaluate(detection: detection, complexity: complexity, skips: skips) },
            policy: options.policy == .seed
                ? nil : MigrationReport.PolicySummary(source: options.policySource ?? "custom", changes: options.policy.changesFromSeed),
            skips: skips,
            scan: .init(files: summary.files, directories: summary.directories, skipped: summary.skipped, elapsedMs: elapsedMs))
        return (report, outcome.discoveryCandidates)
    }

    /// Every skip of the run, sorted by id, with ``PatternSkip/expired`` decided at the
    /// run's time: `options.skips`, then plain `skippedPatterns` and `skippedFindings`
    /// entries not among them.
    static func skipRecords(_ options: AnalysisOptions) -> [PatternSkip] {
        var records = options.skips.map { $0.evaluated(at: options.now) }
        let plain = options.skippedPatterns.map { ($0.key.rawValue, $0.value) } + options.skippedFindings.map { ($0.key, $0.value) }
        for (id, reason) in plain where !records.contains(where: { $0.id == id }) {
            records.append(PatternSkip(id: id, reason: reason, source: "options"))
        }
        return records.sorted { $0.id < $1.id }
    }
}

/// This tool's reports inside an analysed folder: the files the run writes, and files
/// with the default report names in the analysed folder and the output folder.
struct OwnOutputs {
    /// Paths relative to the root.
    let files: Set<String>
    /// Folders relative to the root ("" for the root itself).
    let folders: Set<String>
    /// The extensions of the formats that can be written.
    let extensions: Set<String>

    init(root: String, options: AnalysisOptions) {
        let roots = Set([root, URL(fileURLWithPath: root).resolvingSymlinksInPath().path])
        func relative(_ path: String) -> String? {
            let forms = [path, URL(fileURLWithPath: path).resolvingSymlinksInPath().path]
            for form in forms {
                for base in roots {
                    if form == base { return "" }
                    let prefix = base.hasSuffix("/") ? base : base + "/"
                    if form.hasPrefix(prefix) { return String(form.dropFirst(prefix.count)) }
                }
            }
            return nil
        }
        files = Set(options.ownOutputs.compactMap(relative))
        folders = Set([""] + options.reportFolders.compactMap(relative))
        extensions = Set(EmitterRegistry.all.map(\.fileExtension))
        // The first bytes an own file's name can start with: every entry is asked, and
        // most names (message files) are answered by one table look-up.
        var starts = [Bool](repeating: false, count: 256)
        starts[Int(UInt8(ascii: "m"))] = true
        starts[Int(UInt8(ascii: "."))] = true
        for file in files { if let first = file.split(separator: "/").last?.utf8.first { starts[Int(first)] = true } }
        firstBytes = starts
    }

    private let firstBytes: [Bool]

    func contains(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file, let first = entry.name.utf8.first, firstBytes[Int(first)] else { return false }
        if files.contains(entry.path) { return true }
        let slash = entry.path.lastIndex(of: "/")
        let folder = slash.map { String(entry.path[..<$0]) } ?? ""
        guard folders.contains(folder) else { return false }
        return Self.isReportName(entry.name, extensions: extensions)
    }

    /// `migration-plan.md`, `migration-plan.a-b.json`, `.migration-plan.md.Ab12Cd`.
    static func isReportName(_ name: String, extensions: Set<String>) -> Bool {
        if name.hasPrefix(".migration-plan.") { return true }
        guard name.hasPrefix("migration-plan.") else { return false }
        let ext = (name as NSString).pathExtension
        return extensions.contains(ext)
    }
}

/// The system's send script and agent names, for the plan's testing commands: scripts
/// at the root, in `scripts/` or `bin/` named like a sender, and the folders under
/// `inbox/` that are not lanes.
struct CommandCollector {
    static let lanes: Set<String> = [
        "high", "low", "normal", "priority", "urgent", "defer", "deferred", "defer-queue", "archive", "done",
        "failed", "dead", "processed", "sent", "outbox", "new", "cur", "tmp",
    ]
    private var script: (rank: Int, path: String)?
    private var agents = Set<String>()

    mutating func visit(_ entry: ScanEntry) {
        if entry.kind == .directory, entry.depth == 2, entry.parentPath == "inbox",
            !Self.lanes.contains(entry.name.lowercased()), agents.count < 1000
        {
            agents.insert(entry.name)
        } else if entry.kind == .file,
            entry.depth == 1 || (entry.depth == 2 && (entry.parentPath == "scripts" || entry.parentPath == "bin")),
            let rank = SystemCommands.sendRank(entry.name)
        {
            // Nearest the root first, then the likeliest name, then the path.
            let key = rank + (entry.depth - 1) * 10
            if script.map({ key < $0.rank || (key == $0.rank && entry.path < $0.path) }) ?? true {
                script = (key, entry.path)
            }
        }
    }

    var result: SystemCommands { SystemCommands(sendScript: script?.path, agents: agents.sorted()) }
}
